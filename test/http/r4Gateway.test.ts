import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { R4_TENANT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';

interface Bundle extends Resource {
  total?: number;
  entry?: Array<{ fullUrl?: string; resource: Resource; response?: { status: string } }>;
}

type CapabilityRest = {
  security: { extension: Array<{ url: string; extension: Array<{ url: string; valueUri: string }> }>; service: Array<{ coding: Array<{ system: string; code: string }> }> };
  resource: Array<{ type: string; searchParam: Array<{ name: string; type: string }> }>;
  interaction: Array<{ code: string }>;
};

/** The R4 gateway over HTTP, as a client sees it: every body it answers is valid R4 in R4's media type. */
describe('the R4 gateway (/fhir/r4)', () => {
  let t: TestSandbox;
  let bearer: string;
  beforeAll(async () => {
    t = await startTestSandbox();
    bearer = `Bearer ${await t.token(R4_TENANT)}`;
  });

  /** A request on the R4 base; its body must be R4 in R4's media type whatever the status. */
  const call = async (method: 'get' | 'post' | 'put' | 'delete', path: string, body?: unknown, headers: Record<string, string> = {}) => {
    let request = t.http[method](`/fhir/r4/${path}`).set('Authorization', bearer);
    for (const [name, value] of Object.entries(headers)) request = request.set(name, value);
    const response = body === undefined ? await request : await request.set('Content-Type', 'application/fhir+json').send(JSON.stringify(body));
    const parsed = response.text === '' ? undefined : (JSON.parse(response.text) as Resource);
    if (parsed !== undefined) {
      expect(response.headers['content-type'], path).toBe(FHIR_JSON);
      expect(validateResource('r4', parsed), `${method} ${path}`).toEqual([]);
    }
    return { status: response.status, headers: response.headers, body: parsed as Resource };
  };

  it('serves an R4 CapabilityStatement without a token: 4.0.1, SMART oauth-uris, truthful R4 search parameters', async () => {
    const response = await t.http.get('/fhir/r4/metadata');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(FHIR_JSON);
    const statement = JSON.parse(response.text) as Resource;
    expect(validateResource('r4', statement)).toEqual([]);
    expect(statement).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', format: ['application/fhir+json', 'json'] });
    expect(statement['acceptUnknown']).toBeUndefined();
    const rest = (statement['rest'] as CapabilityRest[])[0] as CapabilityRest;
    expect(rest.security.service[0]?.coding[0]).toEqual(
      expect.objectContaining({ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }),
    );
    const uris = rest.security.extension.find((extension) => extension.url === OAUTH_URIS)?.extension ?? [];
    expect(uris.map((uri) => uri.url)).toEqual(['token', 'authorize']);
    expect(uris[0]?.valueUri).toMatch(/\/oauth2\/token$/);
    expect(rest.interaction).toEqual([{ code: 'batch' }]);
    const params = (type: string) => rest.resource.find((resource) => resource.type === type)?.searchParam.map((param) => param.name) ?? [];
    expect(rest.resource.map((resource) => resource.type)).toEqual([
      'Patient', 'Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'MedicationRequest', 'MedicationStatement', 'Coverage', 'Group', 'Location', 'Organization', 'Practitioner',
    ]);
    expect(params('Condition')).toEqual(expect.arrayContaining(['recorded-date', 'clinical-status', 'encounter']));
    expect(params('Condition')).not.toContain('asserted-date');
    expect(params('Condition')).not.toContain('context');
    expect(params('Coverage')).toEqual(expect.arrayContaining(['patient', 'beneficiary', 'class-type', 'class-value']));
    expect(params('Coverage')).not.toContain('plan');
  });

  it('reads every resource type of the example patient, and searches each type, all valid R4', async () => {
    const everything = await call('get', 'Patient/ruth-black');
    expect(everything.status).toBe(200);
    expect(everything.body['meta']).toMatchObject({ profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'] });
    for (const type of ['Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'MedicationRequest', 'MedicationStatement', 'Coverage']) {
      const bundle = (await call('get', `${type}?patient=ruth-black&_count=50`)).body as Bundle;
      expect(bundle.total, type).toBeGreaterThan(0);
      for (const entry of bundle.entry ?? []) {
        const read = await call('get', `${type}/${entry.resource.id as string}`);
        expect(read.status).toBe(200);
      }
    }
    for (const type of ['Group', 'Location', 'Organization', 'Practitioner']) {
      const bundle = (await call('get', `${type}?_count=5`)).body as Bundle;
      expect(bundle.total, type).toBeGreaterThan(0);
      expect((await call('get', `${type}/${bundle.entry?.[0]?.resource.id as string}`)).status).toBe(200);
    }
  });

  it('answers the R4 client\'s page-load batch entry by entry', async () => {
    const urls = [
      'Patient/ruth-black',
      'Observation?patient=ruth-black&category=vital-signs&_sort=-date',
      'Condition?patient=ruth-black&clinical-status=active',
      'Encounter?patient=ruth-black&_sort:desc=date&_count=1',
      'AllergyIntolerance?patient=ruth-black&verification-status=confirmed',
      'MedicationRequest?patient=ruth-black&intent=order',
      'Coverage?patient=ruth-black',
    ];
    const response = await call('post', '', { resourceType: 'Bundle', type: 'batch', entry: urls.map((url) => ({ request: { method: 'GET', url } })) });
    expect(response.status).toBe(200);
    const bundle = response.body as Bundle;
    expect(bundle['type']).toBe('batch-response');
    expect(bundle.entry?.map((entry) => entry.response?.status)).toEqual(Array(urls.length).fill('200 OK'));
    expect((bundle.entry?.[2]?.resource as Bundle).total).toBeGreaterThan(0);
  });

  it('creates, reads conditionally, updates with If-Match, refuses STU3 shapes with 422, deletes, then says "deleted"', async () => {
    const patient = { resourceType: 'Patient', name: [{ family: 'Quist', given: ['Rae'] }], gender: 'female', birthDate: '1980-04-01' };
    const created = await call('post', 'Patient', patient);
    expect(created.status).toBe(201);
    expect(created.headers['etag']).toBe('W/"1"');
    const id = created.body.id as string;
    expect(created.headers['location']).toMatch(new RegExp(`/fhir/r4/Patient/${id}/_history/1$`));
    expect((await call('get', `Patient/${id}`, undefined, { 'If-None-Match': 'W/"1"' })).status).toBe(304);
    expect((await call('put', `Patient/${id}`, { ...created.body, gender: 'other' }, { 'If-Match': 'W/"7"' })).status).toBe(412);
    const updated = await call('put', `Patient/${id}`, { ...created.body, gender: 'other' }, { 'If-Match': 'W/"1"' });
    expect(updated.status).toBe(200);
    expect(updated.headers['etag']).toBe('W/"2"');

    // STU3's plain-code clinicalStatus is not R4: the error names the element.
    const stu3Shaped = { resourceType: 'Condition', subject: { reference: `Patient/${id}` }, code: { text: 'x' }, clinicalStatus: 'active' };
    const refused = await call('post', 'Condition', stu3Shaped);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('Condition.clinicalStatus');

    expect((await call('delete', `Patient/${id}`)).status).toBe(204);
    const gone = await call('get', `Patient/${id}`);
    expect(gone.status).toBe(410);
    // R4 has the `deleted` issue type, so nothing stands in for it here.
    expect(gone.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'deleted' }] });
  });

  it('errors are R4 OperationOutcomes in the R4 media type', async () => {
    for (const path of ['Patient/nobody', 'Observation?date=2020-13-45', 'Patient?_sort=shoe-size', 'MedicationOrder?patient=x']) {
      const response = await call('get', path);
      expect([400, 404], path).toContain(response.status);
      expect(response.body.resourceType).toBe('OperationOutcome');
    }
    const unauthenticated = await t.http.get('/fhir/r4/Patient/ruth-black');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['content-type']).toBe(FHIR_JSON);
    expect(validateResource('r4', JSON.parse(unauthenticated.text))).toEqual([]);
  });

  it('sends each tenant to its own version\'s base, naming the right URL', async () => {
    const onStu3 = await t.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', bearer);
    expect(onStu3.status).toBe(400);
    expect(onStu3.text).toContain('/fhir/r4');
    const stu3Token = await t.token(STU3_TENANT);
    const onR4 = await t.http.get('/fhir/r4/Patient/ruth-black').set('Authorization', `Bearer ${stu3Token}`);
    expect(onR4.status).toBe(400);
    expect(onR4.headers['content-type']).toBe(FHIR_JSON);
    expect(onR4.text).toContain('/fhir/stu3');
  });

  it('the raw record view validates edits of an R4 tenant against R4, and FHIR sees accepted ones', async () => {
    const records = `/admin/tenants/${R4_TENANT}/records`;
    const condition = (await call('get', 'Condition?patient=ruth-black&_count=1')).body as Bundle;
    const id = condition.entry?.[0]?.resource.id as string;
    const refused = await t.http.patch(`${records}/Condition/${id}`).send({ clinicalStatus: 'active' });
    expect(refused.status).toBe(422);
    expect(refused.body.field).toContain('clinicalStatus');
    const resolved = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] };
    const accepted = await t.http.patch(`${records}/Condition/${id}`).send({ clinicalStatus: resolved, abatementDateTime: '2025-12-01' });
    expect(accepted.status).toBe(200);
    const found = (await call('get', 'Condition?patient=ruth-black&clinical-status=resolved')).body as Bundle;
    expect(found.entry?.map((entry) => entry.resource.id)).toContain(id);
  });

  it('fault rules can single out the R4 gateway', async () => {
    const posted = await t.http
      .post('/admin/faults')
      .send({ name: 'r4-down', match: { fhirVersion: 'r4', interaction: 'read' }, effect: { error: { status: 503 } } });
    expect(posted.status).toBe(201);
    try {
      const faulted = await t.http.get('/fhir/r4/Patient/ruth-black').set('Authorization', bearer);
      expect(faulted.status).toBe(503);
      expect(faulted.headers['content-type']).toBe(FHIR_JSON);
      expect(validateResource('r4', JSON.parse(faulted.text))).toEqual([]);
      const stu3 = await t.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${await t.token(STU3_TENANT)}`);
      expect(stu3.status).toBe(200);
    } finally {
      await t.http.delete('/admin/faults/r4-down');
    }
  });
});
