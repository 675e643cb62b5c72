import type { Test } from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { DSTU2_TENANT, R4_TENANT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

/**
 * Every FHIR body a base writes carries that version's media type (DSTU2 `application/json+fhir`,
 * STU3 and R4 `application/fhir+json`), whichever path wrote it: the core's answers, the gateway's own
 * errors, and the fault layer. Every 4xx/5xx there is an OperationOutcome.
 */
const VERSIONS = [
  { version: 'stu3', tenant: STU3_TENANT, mediaType: 'application/fhir+json', patient: 'ruth-black' },
  { version: 'dstu2', tenant: DSTU2_TENANT, mediaType: 'application/json+fhir', patient: 'hugh-chau' },
  { version: 'r4', tenant: R4_TENANT, mediaType: 'application/fhir+json', patient: 'ruth-black' },
] as const;

describe.each(VERSIONS)('the $version base', ({ version, tenant, mediaType, patient }) => {
  let t: TestSandbox;
  let bearer: string;
  const base = `/fhir/${version}`;
  const contentType = `${mediaType}; charset=utf-8`;

  beforeAll(async () => {
    t = await startTestSandbox();
    bearer = `Bearer ${await t.token(tenant)}`;
  });

  const authed = (request: Test): Test => request.set('Authorization', bearer);

  function expectFhirBody(response: { status: number; headers: Record<string, string>; text: string }, status: number): Record<string, unknown> {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe(contentType);
    const body = JSON.parse(response.text) as Record<string, unknown>;
    if (status >= 400) expect(body['resourceType']).toBe('OperationOutcome');
    return body;
  }

  it('lists its own media type first in the metadata format, and serves metadata with it', async () => {
    const body = expectFhirBody(await t.http.get(`${base}/metadata`), 200);
    expect(body['format']).toEqual([mediaType, 'json']);
  });

  it('reads, searches (GET and POST), batches and creates with it', async () => {
    expectFhirBody(await authed(t.http.get(`${base}/Patient/${patient}`)), 200);
    expectFhirBody(await authed(t.http.get(`${base}/Patient?_count=2`)), 200);
    expectFhirBody(await authed(t.http.post(`${base}/Patient/_search`).type('form').send('gender=male')), 200);
    const batch = { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `Patient/${patient}` } }] };
    expectFhirBody(await authed(t.http.post(base).set('Content-Type', mediaType).send(JSON.stringify(batch))), 200);
    const created = await authed(t.http.post(`${base}/Patient`).set('Content-Type', mediaType).send(JSON.stringify({ resourceType: 'Patient' })));
    expectFhirBody(created, 201);
  });

  it('answers the core\'s errors and the gateway\'s own with it', async () => {
    expectFhirBody(await authed(t.http.get(`${base}/Patient/nobody`)), 404);
    expectFhirBody(await t.http.get(`${base}/Patient/${patient}`), 401);
    expectFhirBody(await authed(t.http.get(`${base}/Patient/${patient}`).set('Accept', 'application/fhir+xml')), 406);
    expectFhirBody(await authed(t.http.patch(`${base}/Patient/${patient}`)), 405);
    expectFhirBody(await authed(t.http.post(`${base}/Patient`).set('Content-Type', 'text/csv').send('a,b')), 415);
    expectFhirBody(await authed(t.http.post(`${base}/Patient`).set('Content-Type', mediaType).send('{"resourceType":')), 400);
    expectFhirBody(await authed(t.http.get(`${base}/Patient?birthdate=yesterday`)), 400);
    expectFhirBody(await authed(t.http.get(`${base}/Patient/a/b/c/d/e`)), 400);
    expectFhirBody(await authed(t.http.get(`${base}/Spaceship/1`)), 404);
    expectFhirBody(await authed(t.http.options(`${base}/Patient`)), 405);
    expectFhirBody(await authed(t.http.get(`${base}/Patient/${patient}/_history/1`)), 400);
    const resource = JSON.stringify({ resourceType: 'Patient', id: patient, active: true });
    expectFhirBody(await authed(t.http.put(`${base}/Patient/${patient}`).set('Content-Type', mediaType).set('If-Match', 'W/"99"').send(resource)), 412);
    expectFhirBody(await authed(t.http.post(`${base}/Patient`).set('Content-Type', mediaType).send('{"resourceType":"Patient","birthDate":"soon"}')), 422);
    expectFhirBody(await authed(t.http.post(`${base}/Patient/_search`).set('Content-Type', 'application/json').send('{}')), 415);
  });

  it('answers fault errors and broken paging links with it', async () => {
    const local = await startTestSandbox();
    const token = `Bearer ${await local.token(tenant)}`;
    local.sandbox.control.addFaultRule({ name: 'down', match: { interaction: 'read' }, effect: { error: { status: 503 } } });
    expectFhirBody(await local.http.get(`${base}/Patient/${patient}`).set('Authorization', token), 503);
    local.sandbox.control.addFaultRule({ name: 'dead-end', match: { interaction: 'search' }, effect: { response: { kind: 'broken-next-link', mode: 'not-found' } } });
    const page = expectFhirBody(await local.http.get(`${base}/Patient?_count=1`).set('Authorization', token), 200);
    const next = new URL((page['link'] as Array<{ relation: string; url: string }>).find((link) => link.relation === 'next')?.url ?? '');
    expectFhirBody(await local.http.get(`${next.pathname}${next.search}`).set('Authorization', token), 404);
  });
});

it('answers under a base no version has in the newest version\'s shape and media type', async () => {
  const t = await startTestSandbox();
  const response = await t.http.get('/fhir/r9/metadata');
  expect(response.status).toBe(400);
  expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
  expect(JSON.parse(response.text)).toMatchObject({ resourceType: 'OperationOutcome' });
});
