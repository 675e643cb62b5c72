import { describe, expect, it } from 'vitest';
import { searchsetBundle, type SearchsetParts } from '../../src/fhir/search/searchsetBundle.js';
import { jsonPartBytes } from '../../src/fhir/text/jsonPart.js';
import { JsonArena } from '../../src/fhir/store/jsonArena.js';
import { StoredRecord } from '../../src/fhir/store/storedRecord.js';

/** The Bundle written out on its own, as a single search answers it. */
const searchsetBundleJson = (parts: SearchsetParts): Buffer => jsonPartBytes(searchsetBundle(parts));

function record(slot: number, id: string, resource: Record<string, unknown>): StoredRecord {
  return new StoredRecord(slot, id, new JsonArena().append(JSON.stringify({ resourceType: 'Patient', id, ...resource })), 1, 0);
}

describe('searchsetBundleJson', () => {
  it('splices stored bytes as they are and escapes what a URL or an id could carry', () => {
    const records = [record(0, 'plain-id.1', { name: [{ family: 'Zoë' }] }), record(1, 'odd"id\\', { note: '漢字 😀' })];
    const baseUrl = 'http://host"quoted\\/fhir/stu3';
    const json = searchsetBundleJson({ baseUrl, resourceType: 'Patient', total: 2, links: [{ relation: 'self', url: `${baseUrl}/Patient?_count=50` }], records, lastUpdated: '2026-01-01T00:00:00.000Z' });
    const bundle = JSON.parse(json.toString()) as { entry: Array<{ fullUrl: string; resource: { id: string }; search: { mode: string } }> };
    expect(bundle.entry.map((entry) => entry.fullUrl)).toEqual([`${baseUrl}/Patient/plain-id.1`, `${baseUrl}/Patient/odd"id\\`]);
    expect(bundle.entry.map((entry) => entry.resource.id)).toEqual(['plain-id.1', 'odd"id\\']);
    expect(bundle.entry.every((entry) => entry.search.mode === 'match')).toBe(true);
    // The stored text, byte for byte: nothing was parsed and written again.
    expect(json.includes(records[1]?.json as Buffer)).toBe(true);
  });

  it('writes the outcome entry after the matches, and alone when nothing matched', () => {
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'not-supported' }] };
    const parts = { baseUrl: 'http://h/fhir/stu3', resourceType: 'Patient', total: 1, links: [], lastUpdated: '2026-01-01T00:00:00.000Z', outcome };
    const withMatch = JSON.parse(searchsetBundleJson({ ...parts, records: [record(0, 'a', {})] }).toString()) as { entry: Array<{ search: { mode: string } }> };
    expect(withMatch.entry.map((entry) => entry.search.mode)).toEqual(['match', 'outcome']);
    const alone = JSON.parse(searchsetBundleJson({ ...parts, total: 0, records: [] }).toString()) as { entry: Array<{ search: { mode: string } }> };
    expect(alone.entry.map((entry) => entry.search.mode)).toEqual(['outcome']);
  });

  it('sizes its buffer from its parts: a large Bundle exactly, a small one from the shared pool', () => {
    const parts = { baseUrl: 'http://h/fhir/stu3', resourceType: 'Patient', links: [{ relation: 'self' as const, url: 'http://h/fhir/stu3/Patient?_count=50' }], lastUpdated: '2026-01-01T00:00:00.000Z' };
    const large = searchsetBundleJson({ ...parts, total: 40, records: Array.from({ length: 40 }, (_, i) => record(i, `p${i}`, { text: 'Zoë '.repeat(100) })) });
    expect(large.buffer.byteLength).toBe(large.length);
    const small = searchsetBundleJson({ ...parts, total: 1, records: [record(0, 'p0', {})] });
    expect(small.length).toBeLessThan(Buffer.poolSize / 2);
    expect(small.buffer.byteLength).toBe(Buffer.poolSize);
  });
});
