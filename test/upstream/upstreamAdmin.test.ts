import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/fhir/types.js';
import { closeUpstreams } from '../../src/tenants/upstreamTenants.js';
import { startMedplumUpstream, type MedplumUpstream } from '../support/medplumUpstream.js';
import { STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

const ADDED = '3e9f4a5b-6c7d-4e8f-9a0b-c1d2e3f4a5b6';

describe('upstream tenants over the admin API', () => {
  let upstream: MedplumUpstream;
  let t: TestSandbox;
  let patient: Resource;
  beforeAll(async () => {
    upstream = await startMedplumUpstream();
    patient = (await upstream.repo.createResource({ resourceType: 'Patient', name: [{ family: 'Added' }] })) as Resource;
    t = await startTestSandbox();
  }, 60_000);
  afterAll(async () => {
    await closeUpstreams(t.sandbox.tenants);
    await upstream.stop();
  });

  const tenant = (overrides: Record<string, unknown> = {}) => ({ id: ADDED, name: 'Added', hospital: 'Medplum (R4)', fhirVersion: 'r4', upstream: { baseUrl: upstream.baseUrl }, ...overrides });

  it('refuses an upstream that speaks another FHIR version (422) or cannot be reached (502), and adds nothing', async () => {
    const stu3 = await t.http.post('/admin/tenants').send(tenant({ fhirVersion: 'stu3' }));
    expect(stu3.status).toBe(422);
    expect(stu3.body).toMatchObject({ error: 'upstream-refused' });
    expect(JSON.stringify(stu3.body)).toContain('speaks FHIR 4.0.1');
    const down = await t.http.post('/admin/tenants').send(tenant({ upstream: { baseUrl: 'http://127.0.0.1:1/fhir', timeoutMs: 1000 } }));
    expect(down.status).toBe(502);
    expect(down.body).toMatchObject({ error: 'upstream-unreachable' });
    const listed = (await t.http.get('/admin/tenants')).body as Array<{ id: string }>;
    expect(listed.map((summary) => summary.id)).not.toContain(ADDED);
    expect((await t.http.post('/admin/tenants').send({ ...tenant(), patients: 5 })).status).toBe(400);
  });

  it('adds an upstream tenant that serves at once, lists it with its upstream, and removes it again', async () => {
    const added = await t.http.post('/admin/tenants').send(tenant());
    expect(added.status).toBe(201);
    expect(added.headers['location']).toBe(`/admin/tenants/${ADDED}`);
    expect(added.body).toMatchObject({ id: ADDED, fhirVersion: 'r4', ready: true, upstream: { baseUrl: upstream.baseUrl } });
    expect((await t.http.post('/admin/tenants').send(tenant())).status).toBe(409);

    const bearer = `Bearer ${await t.token(ADDED)}`;
    const read = await t.http.get(`/fhir/r4/Patient/${patient.id}`).set('Authorization', bearer);
    expect(read.status).toBe(200);
    expect(JSON.parse(read.text)).toEqual(patient);

    expect((await t.http.delete(`/admin/tenants/${STU3_TENANT}`)).status).toBe(409);
    expect((await t.http.delete(`/admin/tenants/${ADDED}`)).status).toBe(204);
    expect((await t.http.delete(`/admin/tenants/${ADDED}`)).status).toBe(404);
    const after = await t.http.get(`/fhir/r4/Patient/${patient.id}`).set('Authorization', bearer);
    expect(after.status).toBe(401);
  });
});
