import { describe, expect, it } from 'vitest';
import type { FhirMethod } from '../../src/fhir/types.js';
import { seededRandom } from '../../src/lib/random.js';
import { testServer } from './fixtures.js';

const NAMES = ['family', 'family:contains', 'given:exact', 'birthdate', 'gender:not', 'identifier', 'patient', 'subject:Patient', '_id', 'id', '_count', '_offset', '_sort', '_sort:desc', '_summary', 'date', 'category', 'x:y:z', '', ':', '_lastUpdated', 'name:missing'];
const VALUES = ['', ',', '\\', '|', '||', 'ge', 'gt2024', 'eq2024-02-30', '2024-13', '-1', '0', '99999999999', 'abc', 'Patient/', '/Patient/1', 'http://', 'a,b,,c', '%zz', '💥', 'sa', '-', '--date', 'date,', 'true'];
const PATHS = ['', 'Patient', 'Patient/', 'Patient/ruth', 'Patient/_search', 'Patient/ruth/_history/x', 'patient', 'Nope/1', '//', 'Patient/ruth/extra/bits', 'metadata', '_search', 'Observation/../Patient'];
const BODIES: unknown[] = [undefined, null, 42, 'text', [], {}, { resourceType: 'Bundle' }, { resourceType: 'Bundle', type: 'batch', entry: [null, 1, { request: null }, { request: { method: 'GET', url: 42 } }] }, { resourceType: 'Patient', id: 7 }];
const METHODS: FhirMethod[] = ['GET', 'POST', 'PUT', 'DELETE'];

describe('malformed input', () => {
  it('never throws: every request gets a status and, for errors, an OperationOutcome', () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)] as T;
    for (const version of ['dstu2', 'stu3'] as const) {
      const server = testServer(version);
      for (let i = 0; i < 1500; i++) {
        const params: Array<[string, string]> = [];
        for (let p = Math.floor(random.next() * 4); p > 0; p--) params.push([pick(NAMES), pick(VALUES)]);
        const response = server.request(pick(METHODS), pick(PATHS), { params, body: pick(BODIES), headers: random.next() < 0.2 ? { prefer: 'handling=strict', ifMatch: pick(VALUES) } : {} });
        expect(response.status).toBeGreaterThanOrEqual(200);
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) expect(server.body(response).resourceType).toBe('OperationOutcome');
      }
    }
  });

  it('answers an unknown resource type with 404 everywhere', () => {
    const server = testServer('stu3');
    expect(server.request('GET', 'Spaceship').status).toBe(404);
    expect(server.request('GET', 'Spaceship/1').status).toBe(404);
    expect(server.request('POST', 'Spaceship/_search').status).toBe(404);
    expect(server.request('POST', 'Spaceship', { body: { resourceType: 'Spaceship' } }).status).toBe(404);
    // MedicationOrder is DSTU2 only.
    expect(server.request('GET', 'MedicationOrder', { params: [['patient', 'ruth']] }).status).toBe(404);
  });

  it('answers 400 for malformed search values and 405 for methods a route does not take', () => {
    const server = testServer('stu3');
    expect(server.request('GET', 'Patient', { params: [['birthdate', 'not-a-date']] }).status).toBe(400);
    expect(server.request('GET', 'Patient', { params: [['_count', 'many']] }).status).toBe(400);
    expect(server.request('GET', 'Patient', { params: [['_sort', 'shoe-size']] }).status).toBe(400);
    expect(server.request('GET', 'Observation', { params: [['date', 'xx2024']] }).status).toBe(400);
    expect(server.request('DELETE', 'Patient').status).toBe(405);
    expect(server.request('PUT', 'Patient/_search').status).toBe(405);
  });

  it('refuses unknown parameters under Prefer: handling=strict and ignores them otherwise', () => {
    const server = testServer('dstu2');
    const params: Array<[string, string]> = [['favourite-colour', 'blue']];
    const strict = server.request('GET', 'Patient', { params, headers: { prefer: 'handling=strict' } });
    expect(strict.status).toBe(400);
    expect(server.body(strict)).toMatchObject({ issue: [{ code: 'not-supported', location: ['favourite-colour'] }] });
    expect(server.request('GET', 'Patient', { params, headers: { prefer: 'handling=lenient' } }).status).toBe(200);
  });

  it('POST <Type>/_search with form parameters is the same search as GET', () => {
    const server = testServer('stu3');
    const params: Array<[string, string]> = [['family:contains', 'lack'], ['_count', '1']];
    const viaGet = server.request('GET', 'Patient', { params });
    const viaPost = server.request('POST', 'Patient/_search', { params });
    expect(viaPost.json).toEqual(viaGet.json);
  });
});
