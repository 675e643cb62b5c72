import { describe, expect, it } from 'vitest';
import { STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

const records = `/admin/tenants/${STU3_TENANT}/records`;

describe('raw record view (json-server over the tenant store)', () => {
  it('lists collections with counts and pages through records', async () => {
    const { http } = await startTestSandbox();
    const summary = await http.get(records);
    expect(summary.status).toBe(200);
    expect(summary.body.Patient).toBeGreaterThanOrEqual(12);
    const page = await http.get(`${records}/Patient?_page=1&_limit=5`);
    expect(page.status).toBe(200);
    expect(page.body).toHaveLength(5);
    expect(page.headers['x-total-count']).toBe(String(summary.body.Patient));
    const one = await http.get(`${records}/Patient/ruth-black`);
    expect(one.body).toMatchObject({ resourceType: 'Patient', birthDate: '1951-08-23' });
  });

  it('an edit shows up in FHIR searches at once, with a new version', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    const patched = await http.patch(`${records}/Patient/ruth-black`).send({ birthDate: '1952-02-29' });
    expect(patched.status).toBe(200);
    expect(patched.body.meta.versionId).toBe('2');
    const search = await http.get('/fhir/stu3/Patient?birthdate=1952-02-29').set('Authorization', bearer);
    const bundle = JSON.parse(search.text);
    expect(bundle.total).toBe(1);
    expect(bundle.entry[0].resource.id).toBe('ruth-black');
    const old = JSON.parse((await http.get('/fhir/stu3/Patient?birthdate=1951-08-23').set('Authorization', bearer)).text);
    expect(old.entry?.map((entry: { resource: { id: string } }) => entry.resource.id) ?? []).not.toContain('ruth-black');
  });

  it('creates and deletes records, and FHIR sees both', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    const created = await http.post(`${records}/Patient`).send({ resourceType: 'Patient', id: 'raw-new', name: [{ family: 'Zzyzx', given: ['Quinn'] }], gender: 'other' });
    expect(created.status).toBe(201);
    expect((await http.get('/fhir/stu3/Patient?family=zzyzx').set('Authorization', bearer)).text).toContain('raw-new');
    expect((await http.delete(`${records}/Patient/raw-new`)).status).toBe(200);
    expect((await http.get('/fhir/stu3/Patient/raw-new').set('Authorization', bearer)).status).toBe(410);
  });

  it('refuses an edit that breaks the FHIR definitions, and changes nothing', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    const refused = await http.patch(`${records}/Patient/ruth-black`).send({ birthDate: 'last tuesday' });
    expect(refused.status).toBe(422);
    expect(refused.body.field).toContain('birthDate');
    const patient = JSON.parse((await http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', bearer)).text);
    expect(patient.birthDate).toBe('1951-08-23');
    expect(patient.meta.versionId).toBe('1');
    expect((await http.get(`${records}/NotAType`)).status).toBe(404);
    expect((await http.get(`/admin/tenants/00000000-0000-4000-8000-000000000000/records/Patient`)).status).toBe(404);
  });
});
