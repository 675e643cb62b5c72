import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestJson } from '../../src/fhir/handlers/batch.js';

/** The text each batch entry's urn:uuid has always been derived from. */
const reference = (item: unknown): string =>
  JSON.stringify((item !== null && typeof item === 'object' ? (item as { request?: unknown }).request : undefined) ?? null);

describe('requestJson: the text a batch entry urn:uuid is derived from', () => {
  it('is JSON.stringify of entry.request for the usual and the odd shapes', () => {
    const items: unknown[] = [
      { request: { method: 'GET', url: 'Patient?name=Zo%C3%AB&_count=2' } },
      { request: { method: 'GET', url: 'Patient?q="quoted"\\back\u0001\ud83d' } },
      { request: { method: 'GET', url: 'Observation?code=漢字😀' } },
      { request: { url: 'Patient', method: 'GET' } },
      { request: { method: 'GET', url: 'Patient', ifNoneMatch: 'W/"1"' } },
      { request: { method: 'GET' } },
      { request: { method: 7, url: 'Patient' } },
      { request: { method: 'GET', url: null } },
      { request: ['GET', 'Patient'] },
      { request: 'GET Patient' },
      { request: null },
      { resource: { resourceType: 'Patient' } },
      {},
      null,
      'entry',
    ];
    for (const item of items) expect(requestJson(item), JSON.stringify(item)).toBe(reference(item));
  });

  it('agrees with JSON.stringify on any method and url strings, and on any JSON request', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (method, url) => requestJson({ request: { method, url } }) === reference({ request: { method, url } })),
      { numRuns: 1000 },
    );
    fc.assert(fc.property(fc.jsonValue(), (request) => requestJson({ request }) === reference({ request })), { numRuns: 1000 });
  });
});
