import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT, DSTU2_TENANT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

/** One request of each kind the scopes tell apart, on Patient and Observation of the STU3 tenant. */
const PATIENT = { resourceType: 'Patient', id: 'scope-target', name: [{ family: 'Scoped' }] };
const INTERACTIONS = {
  'read Patient': (t: TestSandbox) => t.http.get('/fhir/stu3/Patient/ruth-black'),
  'search Patient': (t: TestSandbox) => t.http.get('/fhir/stu3/Patient?family=black'),
  'POST _search Patient': (t: TestSandbox) => t.http.post('/fhir/stu3/Patient/_search').type('form').send({ family: 'black' }),
  'create Patient': (t: TestSandbox) => t.http.post('/fhir/stu3/Patient').set('Content-Type', 'application/fhir+json').send(JSON.stringify({ resourceType: 'Patient', name: [{ family: 'New' }] })),
  'update Patient': (t: TestSandbox) => t.http.put('/fhir/stu3/Patient/scope-target').set('Content-Type', 'application/fhir+json').send(JSON.stringify(PATIENT)),
  'delete Patient': (t: TestSandbox) => t.http.delete('/fhir/stu3/Patient/scope-target'),
  'read Observation': (t: TestSandbox) => t.http.get(`/fhir/stu3/Observation/${observationId}`),
  'search Observation': (t: TestSandbox) => t.http.get('/fhir/stu3/Observation?patient=ruth-black'),
} as const;
type Interaction = keyof typeof INTERACTIONS;
const ALL = Object.keys(INTERACTIONS) as Interaction[];
let observationId = '';

// Which interactions each scope allows; everything else must be 403.
const MATRIX: Array<[string, readonly Interaction[]]> = [
  ['(no SMART scope: the original contract)', ALL],
  ['system/*.read', ['read Patient', 'search Patient', 'POST _search Patient', 'read Observation', 'search Observation']],
  ['system/*.rs', ['read Patient', 'search Patient', 'POST _search Patient', 'read Observation', 'search Observation']],
  ['system/Observation.read', ['read Observation', 'search Observation']],
  ['system/Observation.rs system/Patient.r', ['read Observation', 'search Observation', 'read Patient']],
  ['system/Patient.s', ['search Patient', 'POST _search Patient']],
  ['system/Observation.r', ['read Observation']],
  ['system/Patient.cruds', ['read Patient', 'search Patient', 'POST _search Patient', 'create Patient', 'update Patient', 'delete Patient']],
  ['system/*.write', ['create Patient', 'update Patient', 'delete Patient']],
  ['system/Patient.write', ['create Patient', 'update Patient', 'delete Patient']],
  ['system/Patient.c', ['create Patient']],
  ['system/Patient.u', ['update Patient']],
  ['system/Patient.d', ['delete Patient']],
  ['system/*.*', ALL],
  ['system/*.cruds', ALL],
];

describe('SMART scopes are enforced by the gateway', () => {
  let t: TestSandbox;
  const tokenFor = async (scope: string, tenant = STU3_TENANT, client = DEMO_CLIENT) => {
    const response = await t.http.post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret, scope: `${tenant} ${scope}` });
    expect(response.status, response.text).toBe(200);
    return response.body as { access_token: string; scope: string };
  };

  beforeAll(async () => {
    t = await startTestSandbox({}, {
      profile: {
        clients: [
          { id: DEMO_CLIENT.id, secret: DEMO_CLIENT.secret, tenants: '*' },
          { id: 'narrow', secret: 'narrow-secret', tenants: '*', scopes: ['system/Patient.rs', 'system/Observation.r'] },
        ],
      },
    });
    const full = `Bearer ${(await tokenFor('')).access_token}`;
    const observations = JSON.parse((await t.http.get('/fhir/stu3/Observation?patient=ruth-black&_count=1').set('Authorization', full)).text);
    observationId = observations.entry[0].resource.id;
  });

  it.each(MATRIX)('%s', async (scope, allowed) => {
    const issued = await tokenFor(scope.startsWith('(') ? '' : scope);
    expect(issued.scope).toBe(scope.startsWith('(') ? STU3_TENANT : `${STU3_TENANT} ${scope}`);
    const bearer = `Bearer ${issued.access_token}`;
    const answers: Record<string, number> = {};
    for (const interaction of ALL) {
      const response = await INTERACTIONS[interaction](t).set('Authorization', bearer);
      answers[interaction] = response.status;
      if (response.status === 403) {
        expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
        const outcome = JSON.parse(response.text);
        expect(outcome).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] });
        expect(outcome.issue[0].diagnostics).toMatch(new RegExp(`does not cover \\w+ of ${interaction.split(' ').pop()}`));
      }
    }
    const expected = Object.fromEntries(ALL.map((interaction) => [interaction, allowed.includes(interaction) ? 'allowed' : 403]));
    const seen = Object.fromEntries(ALL.map((interaction) => [interaction, answers[interaction] === 403 ? 403 : (answers[interaction] as number) < 300 ? 'allowed' : answers[interaction]]));
    expect(seen).toEqual(expected);
  });

  it('checks each batch entry on its own: refused entries get their own 403, the rest are served', async () => {
    const { access_token } = await tokenFor('system/Observation.rs system/Patient.r');
    const response = await t.http
      .post('/fhir/stu3')
      .set('Authorization', `Bearer ${access_token}`)
      .set('Content-Type', 'application/fhir+json')
      .send(JSON.stringify({
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { request: { method: 'GET', url: 'Observation?patient=ruth-black&category=vital-signs' } },
          { request: { method: 'GET', url: 'Condition?patient=ruth-black' } },
          { request: { method: 'GET', url: 'Patient/ruth-black' } },
          { request: { method: 'GET', url: 'Patient?family=black' } },
          { request: { method: 'DELETE', url: 'Patient/ruth-black' } },
        ],
      }));
    expect(response.status).toBe(200);
    const bundle = JSON.parse(response.text);
    expect(bundle.type).toBe('batch-response');
    expect(bundle.entry.map((entry: { response: { status: string } }) => entry.response.status)).toEqual(['200 OK', '403 Forbidden', '200 OK', '403 Forbidden', '403 Forbidden']);
    expect(bundle.entry[1].resource).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
  });

  it('answers 403 in the DSTU2 media type on the DSTU2 gateway', async () => {
    const { access_token } = await tokenFor('system/Condition.read', DSTU2_TENANT);
    const response = await t.http.get('/fhir/dstu2/Patient/hugh-chau').set('Authorization', `Bearer ${access_token}`);
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toBe('application/json+fhir; charset=utf-8');
    expect(JSON.parse(response.text)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
    const allowed = await t.http.get('/fhir/dstu2/Condition?patient=hugh-chau').set('Authorization', `Bearer ${access_token}`);
    expect(allowed.status).toBe(200);
  });

  describe('scopes a client may have (profile field "scopes")', () => {
    const narrow = { id: 'narrow', secret: 'narrow-secret' };

    it('grants what was asked, cut down to what the client is allowed', async () => {
      const issued = await tokenFor('system/*.read', STU3_TENANT, narrow);
      expect(issued.scope).toBe(`${STU3_TENANT} system/Patient.read system/Observation.r`);
      const bearer = `Bearer ${issued.access_token}`;
      expect((await t.http.get('/fhir/stu3/Observation?patient=ruth-black').set('Authorization', bearer)).status).toBe(403);
      expect((await t.http.get('/fhir/stu3/Patient?family=black').set('Authorization', bearer)).status).toBe(200);
    });

    it('gives a limited client that asks for no scope what it is allowed, never full access', async () => {
      const issued = await tokenFor('', STU3_TENANT, narrow);
      expect(issued.scope).toBe(`${STU3_TENANT} system/Patient.rs system/Observation.r`);
      expect((await t.http.delete('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${issued.access_token}`)).status).toBe(403);
    });

    it('refuses with invalid_scope what the client may not have, and what the tenant does not serve', async () => {
      const ask = (client: { id: string; secret: string }, scope: string, tenant = STU3_TENANT) =>
        t.http.post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret, scope: `${tenant} ${scope}` });
      const notAllowed = await ask(narrow, 'system/Condition.read');
      expect(notAllowed.status).toBe(400);
      expect(notAllowed.body).toEqual({ error: 'invalid_scope', error_description: 'client narrow may not have any of the scopes asked for; it may have: system/Patient.rs system/Observation.r' });
      const wrongVersion = await ask(DEMO_CLIENT, 'system/MedicationOrder.read');
      expect(wrongVersion.body.error).toBe('invalid_scope');
      expect(wrongVersion.body.error_description).toMatch(/names MedicationOrder, which this tenant's server does not serve/);
      expect((await ask(DEMO_CLIENT, 'system/MedicationOrder.read', DSTU2_TENANT)).status).toBe(200);
      const malformed = await ask(DEMO_CLIENT, 'system/Patient.rw');
      expect(malformed.body).toMatchObject({ error: 'invalid_scope', error_description: expect.stringContaining('permissions "rw"') });
      expect((await ask(DEMO_CLIENT, 'patient/*.read')).body.error).toBe('invalid_scope');
    });

    it('can be changed through the admin API for tokens issued from then on', async () => {
      const before = await tokenFor('', STU3_TENANT, narrow);
      const changed = await t.http.patch('/admin/clients/narrow').send({ scopes: ['system/Condition.rs'] });
      expect(changed.status).toBe(200);
      expect(changed.body.scopes).toEqual(['system/Condition.rs']);
      expect((await tokenFor('', STU3_TENANT, narrow)).scope).toBe(`${STU3_TENANT} system/Condition.rs`);
      // A token keeps the scopes it was granted.
      expect((await t.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${before.access_token}`)).status).toBe(200);
      const bad = await t.http.patch('/admin/clients/narrow').send({ scopes: ['system/Condition.bad'] });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('invalid-scope');
    });
  });
});
