import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { matchIds, testServer } from './fixtures.js';

type ResponseEntry = { fullUrl?: string; resource?: Resource; response: { status: string; etag?: string; location?: string } };

function batch(server: ReturnType<typeof testServer>, entries: unknown[], type = 'batch') {
  const response = server.request('POST', '', { body: { resourceType: 'Bundle', type, entry: entries } });
  return { response, bundle: server.body(response) };
}

const get = (url: string) => ({ request: { method: 'GET', url } });

describe('batch', () => {
  it('runs the client\'s patient-scoped searches and answers a batch-response in entry order', () => {
    const server = testServer('stu3');
    const { response, bundle } = batch(server, [
      get('Observation?patient=ruth&category=vital-signs&_sort=-date'),
      get('Condition?patient=ruth&_count=10'),
      get('Encounter?patient=ruth&_sort:desc=date&_count=1'),
      get('AllergyIntolerance?patient=ruth'),
      get('MedicationRequest?patient=ruth&_count=10'),
      get('Coverage?patient=ruth'),
    ]);
    expect(response.status).toBe(200);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'batch-response' });
    const entries = bundle['entry'] as ResponseEntry[];
    expect(entries.map((entry) => entry.response.status)).toEqual(Array(6).fill('200 OK'));
    expect(matchIds(entries[0]?.resource as Resource)).toEqual(['ruth-hr-2', 'ruth-hr-1', 'ruth-weight']);
    expect(matchIds(entries[2]?.resource as Resource)).toEqual(['ruth-enc-now']);
    expect(matchIds(entries[5]?.resource as Resource)).toEqual(['ruth-cov']);
    expect(validateResource('stu3', bundle)).toEqual([]);
  });

  it('keeps going when an entry fails, each failure its own OperationOutcome', () => {
    const server = testServer('dstu2');
    const { bundle } = batch(server, [
      get('Patient/hugh'),
      get('Patient/nobody'),
      get('Observation?date=notadate'),
      get('Spaceship?x=1'),
      { request: { method: 'PATCH', url: 'Patient/hugh' } },
      {},
      get(`${server.baseUrl}/Patient?family:contains=chau`),
      get('http://elsewhere.test/fhir/Patient/hugh'),
    ]);
    const entries = bundle['entry'] as ResponseEntry[];
    expect(entries.map((entry) => entry.response.status)).toEqual([
      '200 OK',
      '404 Not Found',
      '400 Bad Request',
      '404 Not Found',
      '400 Bad Request',
      '400 Bad Request',
      '200 OK',
      '400 Bad Request',
    ]);
    expect(entries[0]?.response.etag).toBe('W/"1"');
    expect(entries[1]?.resource?.resourceType).toBe('OperationOutcome');
    expect(matchIds(entries[6]?.resource as Resource)).toEqual(['hugh']);
    expect(validateResource('dstu2', bundle)).toEqual([]);
  });

  it.each(['stu3', 'dstu2'] as const)('gives every %s entry with a resource a fullUrl (bdl-6), and no other entry one', (version) => {
    const server = testServer(version);
    const patient = version === 'stu3' ? 'ruth' : 'hugh';
    const entries = [
      get(`Patient/${patient}`),
      get('Patient?_count=1'),
      get('Patient/nobody'),
      { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', name: [{ given: ['New'] }] } },
      { request: { method: 'DELETE', url: `Patient/${patient}` } },
      get('Patient?unknown-parameter=x'),
    ];
    const first = batch(server, entries).bundle;
    const found = first['entry'] as ResponseEntry[];
    expect(found[0]?.fullUrl).toBe(`${server.baseUrl}/Patient/${patient}`);
    expect(found[1]?.fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(found[2]?.fullUrl).toMatch(/^urn:uuid:/);
    expect(found[3]?.fullUrl).toBe(`${server.baseUrl}/Patient/${found[3]?.resource?.id}`);
    expect(found[4]).toEqual({ response: { status: '204 No Content', etag: 'W/"2"' } });
    const searchOutcome = (found[5]?.resource?.['entry'] as ResponseEntry[]).at(-1);
    expect(searchOutcome?.fullUrl).toMatch(/^urn:uuid:/);
    const urls = [...found, searchOutcome].map((entry) => entry?.fullUrl).filter((url) => url !== undefined);
    expect(new Set(urls).size).toBe(urls.length);
    expect(validateResource(version, first)).toEqual([]);
    // Reproducible: the same batch at the same instant names its anonymous entries the same way.
    const again = testServer(version);
    expect((batch(again, entries).bundle['entry'] as ResponseEntry[]).map((entry) => entry.fullUrl)).toEqual(found.map((entry) => entry.fullUrl));
  });

  it('accepts POST <Type>/_search entries with parameters in the URL or a Parameters resource', () => {
    const server = testServer('stu3');
    const { bundle } = batch(server, [
      { request: { method: 'POST', url: 'Patient/_search?family=black' } },
      { request: { method: 'POST', url: 'Patient/_search' }, resource: { resourceType: 'Parameters', parameter: [{ name: 'given', valueString: 'ruth' }] } },
    ]);
    const entries = bundle['entry'] as ResponseEntry[];
    expect(matchIds(entries[0]?.resource as Resource).sort()).toEqual(['ruth', 'zoe']);
    expect(matchIds(entries[1]?.resource as Resource)).toEqual(['ruth']);
  });

  it('runs writes when the provider takes them, with location and etag, and refuses them per entry when read-only', () => {
    const writable = testServer('stu3');
    const { bundle } = batch(writable, [
      { request: { method: 'POST', url: 'Patient' }, resource: { resourceType: 'Patient', name: [{ family: 'Batch' }] } },
      { request: { method: 'PUT', url: 'Patient/ruth', ifMatch: 'W/"1"' }, resource: { resourceType: 'Patient', id: 'ruth', gender: 'female' } },
      { request: { method: 'PUT', url: 'Patient/zoe', ifMatch: 'W/"7"' }, resource: { resourceType: 'Patient', id: 'zoe' } },
      { request: { method: 'DELETE', url: 'Patient/daniel' } },
    ]);
    const entries = bundle['entry'] as ResponseEntry[];
    expect(entries.map((entry) => entry.response.status)).toEqual(['201 Created', '200 OK', '412 Precondition Failed', '204 No Content']);
    expect(entries[0]?.response.location).toMatch(/\/Patient\/[^/]+\/_history\/1$/);
    expect(entries[1]?.response.etag).toBe('W/"2"');
    expect(writable.request('GET', 'Patient/daniel').status).toBe(410);

    const readOnly = testServer('stu3', { readOnly: true });
    const refused = batch(readOnly, [{ request: { method: 'DELETE', url: 'Patient/daniel' } }, get('Patient/daniel')]).bundle;
    expect((refused['entry'] as ResponseEntry[]).map((entry) => entry.response.status)).toEqual(['405 Method Not Allowed', '200 OK']);
  });

  it('refuses transactions, other bundle types, nested batches and non-bundles with 400', () => {
    const server = testServer('stu3');
    const transaction = batch(server, [get('Patient/ruth')], 'transaction').response;
    expect(transaction.status).toBe(400);
    expect(server.body(transaction)).toMatchObject({ issue: [{ code: 'not-supported' }] });
    expect(batch(server, [], 'collection').response.status).toBe(400);
    expect(server.request('POST', '', { body: { resourceType: 'Patient' } }).status).toBe(400);
    expect(server.request('POST', '', { body: { resourceType: 'Bundle', type: 'batch', entry: 'nope' } }).status).toBe(400);
    const nested = batch(server, [{ request: { method: 'POST', url: '' }, resource: { resourceType: 'Bundle', type: 'batch' } }]).bundle;
    expect((nested['entry'] as ResponseEntry[])[0]?.response.status).toBe('400 Bad Request');
    expect(server.request('GET', '').status).toBe(405);
  });

  it('answers a batch whose entries outgrow any first guess of its size, every entry intact and in order', () => {
    const server = testServer('stu3');
    const longName = `x${'é'.repeat(3000)}`;
    const entries = Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? get('Observation?_count=500') : get(`Patient?${encodeURIComponent(longName)}=${index}`)));
    const { response, bundle } = batch(server, entries);
    expect(response.status).toBe(200);
    const found = bundle['entry'] as ResponseEntry[];
    expect(found).toHaveLength(40);
    expect(found.every((entry) => entry.response.status === '200 OK')).toBe(true);
    const observations = server.body(server.request('GET', 'Observation', { params: [['_count', '500']] }));
    expect(matchIds(found[38]?.resource as Resource)).toEqual(matchIds(observations as Resource));
    const outcome = (found[39]?.resource?.['entry'] as Array<{ resource: Resource }>).at(-1)?.resource;
    expect(JSON.stringify(outcome)).toContain(longName);
    expect(validateResource('stu3', bundle)).toEqual([]);
  });

  it('answers an empty batch with a batch-response without entries (FHIR JSON has no empty arrays)', () => {
    const { response, bundle } = batch(testServer('stu3'), []);
    expect(response.status).toBe(200);
    expect(bundle).toEqual({ resourceType: 'Bundle', type: 'batch-response' });
  });
});
