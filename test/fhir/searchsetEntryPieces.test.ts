import { describe, expect, it } from 'vitest';
import { searchsetBundle } from '../../src/fhir/search/searchsetBundle.js';
import { JsonArena } from '../../src/fhir/store/jsonArena.js';
import { StoredRecord } from '../../src/fhir/store/storedRecord.js';
import { jsonPartBytes } from '../../src/fhir/text/jsonPart.js';

/** Each Bundle's fullUrls come from its own base URL, however many other base URLs came before (the entry pieces are remembered per type URL, a bounded number of them). */
describe('searchset entry pieces across many base URLs', () => {
  it('writes every entry under its own base, past the number of type URLs remembered, and again after', () => {
    const arena = new JsonArena();
    const records = ['a', 'b', 'c'].map((id, slot) => new StoredRecord(slot, id, arena.append(JSON.stringify({ resourceType: 'Patient', id })), 1, 0));
    const bases = Array.from({ length: 600 }, (_, i) => (i % 3 === 0 ? `http://host-${i}.test/fhir/stu3` : i % 3 === 1 ? `http://hôst-${i}.test/"q"/fhir` : `http://h-${i}/fhir/r4`));
    for (const baseUrl of [...bases, ...bases.slice(0, 50)]) {
      const json = jsonPartBytes(searchsetBundle({ baseUrl, resourceType: 'Patient', total: 3, links: [], linksJson: '[]', records, lastUpdated: '2026-01-01T00:00:00.000Z' }));
      expect(json.length).toBe(Buffer.byteLength(json.toString()));
      const bundle = JSON.parse(json.toString()) as { entry: Array<{ fullUrl: string; resource: { id: string }; search: { mode: string } }> };
      expect(bundle.entry.map((entry) => entry.fullUrl)).toEqual(['a', 'b', 'c'].map((id) => `${baseUrl}/Patient/${id}`));
      expect(bundle.entry.every((entry) => entry.search.mode === 'match')).toBe(true);
    }
  });
});
