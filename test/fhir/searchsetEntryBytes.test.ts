import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pagingLinks } from '../../src/fhir/search/pagingLinks.js';
import { searchsetBundle } from '../../src/fhir/search/searchsetBundle.js';
import { JsonArena } from '../../src/fhir/store/jsonArena.js';
import { StoredRecord } from '../../src/fhir/store/storedRecord.js';
import { JsonBytesBuilder } from '../../src/fhir/text/jsonBytesBuilder.js';

function record(slot: number, id: string): StoredRecord {
  return new StoredRecord(slot, id, new JsonArena().append(JSON.stringify({ resourceType: 'Patient', id, note: 'Zoë' })), 1, 0);
}

/** What a searchset's entries must read as: fullUrl, resource and mode per record, in order. */
function expectedEntries(baseUrl: string, ids: readonly string[]) {
  return ids.map((id) => ({ fullUrl: `${baseUrl}/Patient/${id}`, resource: { resourceType: 'Patient', id, note: 'Zoë' }, search: { mode: 'match' } }));
}

/** A searchset's entries are written into the answer's buffer in runs of plain ids; an odd id is escaped between two runs. */
describe('searchset entries written in runs', () => {
  const baseUrl = 'http://h/fhir/stu3';
  const parts = { baseUrl, resourceType: 'Patient', links: [], linksJson: '[]', lastUpdated: '2026-01-01T00:00:00.000Z' };
  const plainId = fc.stringMatching(/^[A-Za-z0-9.-]{1,64}$/);

  it('writes any ids (plain, escaped, non-ASCII, empty, too long, in any position) inside a larger answer, and measures plain ones exactly', () => {
    const idArbitrary = fc.oneof(plainId, fc.string({ maxLength: 70 }), fc.constantFrom('', 'a"b', 'ü', '😀', 'x'.repeat(65)));
    fc.assert(
      fc.property(fc.array(idArbitrary, { maxLength: 8 }), fc.string({ maxLength: 5 }), (ids, before) => {
        const part = searchsetBundle({ ...parts, total: ids.length, records: ids.map((id, slot) => record(slot, id)) });
        const body = new JsonBytesBuilder(1).text(before);
        const start = body.toBuffer().length;
        part.writeTo(body);
        const json = body.toBuffer().subarray(start);
        const bundle = JSON.parse(json.toString()) as { entry?: unknown[] };
        expect(bundle.entry ?? []).toEqual(expectedEntries(baseUrl, ids));
        if (ids.every((id) => /^[A-Za-z0-9.-]{1,64}$/.test(id))) expect(json.length).toBe(part.byteLength);
      }),
      { seed: 20261203, numRuns: 300 },
    );
  });

  it('fills an exactly sized buffer without growing it', () => {
    const records = Array.from({ length: 400 }, (_, slot) => record(slot, `p${slot}`));
    const part = searchsetBundle({ ...parts, total: records.length, records });
    const body = new JsonBytesBuilder(part.byteLength);
    part.writeTo(body);
    const json = body.toBuffer();
    expect(json.length).toBe(part.byteLength);
    expect(json.buffer.byteLength).toBe(part.byteLength);
  });
});

/** The query text of paging links: names and values that need no encoding are kept as they are, others percent-encoded with `:`, `|`, `,` legible. */
describe('paging link queries', () => {
  const legible = (text: string) => encodeURIComponent(text).replace(/%3A|%7C|%2C/g, (escape) => ({ '%3A': ':', '%7C': '|', '%2C': ',' })[escape] as string);

  it('encode any name and value as encodeURIComponent does, with the legible characters put back', () => {
    const text = fc.string({ unit: fc.constantFrom(...'aZ09-_.!~*\'()/:|,?&= %"é😀+#[]'), maxLength: 12 });
    fc.assert(
      fc.property(text, text, (name, value) => {
        const [self] = pagingLinks('http://h/fhir/stu3/Patient', [[name, value]], { count: 10, offset: 0, total: 0 }, false);
        expect(self?.url).toBe(`http://h/fhir/stu3/Patient?${legible(name)}=${legible(value)}&_count=10&_offset=0`);
      }),
      { seed: 20261203, numRuns: 500 },
    );
  });
});
