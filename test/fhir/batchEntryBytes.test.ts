import { describe, expect, it } from 'vitest';
import type { FhirResponse } from '../../src/fhir/types.js';
import { testServer } from './fixtures.js';

const get = (url: string) => ({ request: { method: 'GET', url } });

/** Where `part` lies in `whole`, searching from `from`; -1 when its bytes are not there as they are. */
function bytesAt(whole: Buffer, part: Buffer, from: number): number {
  return whole.indexOf(part, from);
}

describe('batch entries, written straight into the batch answer', () => {
  it('carry exactly the bytes each request answers on its own, in entry order', () => {
    const server = testServer('stu3');
    const urls = [
      'Observation?patient=ruth&category=vital-signs&_sort=-date',
      'Condition?patient=ruth&_count=10',
      'Encounter?patient=ruth&_sort:desc=date&_count=1',
      'Patient?family=black&_count=1',
      'Patient/ruth',
      'Patient?bogus=1',
      'Coverage?patient=ruth',
    ];
    const alone = urls.map((url) => {
      const [path = '', query = ''] = url.split('?');
      return server.request('GET', path, { params: [...new URLSearchParams(query)] });
    });
    const answer = server.request('POST', '', { body: { resourceType: 'Bundle', type: 'batch', entry: urls.map(get) } });
    expect(answer.status).toBe(200);
    const batchJson = answer.json as Buffer;
    let from = 0;
    alone.forEach((response: FhirResponse, index) => {
      expect(response.status, urls[index]).toBe(200);
      const at = bytesAt(batchJson, response.json as Buffer, from);
      expect(at, urls[index]).toBeGreaterThanOrEqual(from);
      from = at + (response.json as Buffer).length;
    });
  });

  it('keep a search as it was when it ran, though later entries of the same batch change what it matched', () => {
    const before = testServer('stu3');
    const searchAlone = before.request('GET', 'Patient', { params: [['family', 'black']] });
    const server = testServer('stu3');
    const answer = server.request('POST', '', {
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          get('Patient?family=black'),
          { request: { method: 'PUT', url: 'Patient/ruth' }, resource: { resourceType: 'Patient', id: 'ruth', name: [{ family: 'Changed' }] } },
          { request: { method: 'DELETE', url: 'Patient/zoe' } },
        ],
      },
    });
    const entries = (server.body(answer)['entry'] as Array<{ response: { status: string } }>).map((entry) => entry.response.status);
    expect(entries).toEqual(['200 OK', '200 OK', '204 No Content']);
    expect((answer.json as Buffer).includes(searchAlone.json as Buffer)).toBe(true);
    expect(server.body(server.request('GET', 'Patient', { params: [['family', 'black']] }))['total']).toBe(0);
  });

  it('answer a search on its own as written bytes, never as a body still to be written', () => {
    const response = testServer('stu3').request('GET', 'Patient', { params: [['_count', '1']] });
    expect(Buffer.isBuffer(response.json)).toBe(true);
    expect(response.pendingJson).toBeUndefined();
  });
});
