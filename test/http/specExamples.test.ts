import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import type { FhirVersion, Resource } from '../../src/fhir/types.js';
import { listen, type RunningServer } from '../../src/http/listen.js';
import { systemClock } from '../../src/lib/clock.js';
import { DSTU2_TENANT, R4_TENANT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

interface Bundle extends Resource {
  total?: number;
  entry?: Array<{ fullUrl?: string; resource: Resource & Record<string, unknown>; search?: { mode: string }; response?: { status: string } }>;
  link?: Array<{ relation: string; url: string }>;
}

/** The spec's example calls, verbatim, for every version; every body must be valid FHIR of its version. */
describe.each([
  {
    version: 'stu3' as FhirVersion,
    tenant: STU3_TENANT,
    patientSearch: { given: 'ruth', family: 'black' },
    patientId: 'ruth-black',
    observationSort: '_sort=-date',
    medications: ['MedicationRequest', 'MedicationStatement'],
    mrnTypeSystem: 'http://hl7.org/fhir/v2/0203',
  },
  {
    // The STU3 article's calls, sent to an R4 server: the same searches find the same patient.
    version: 'r4' as FhirVersion,
    tenant: R4_TENANT,
    patientSearch: { given: 'ruth', family: 'black' },
    patientId: 'ruth-black',
    observationSort: '_sort=-date',
    medications: ['MedicationRequest', 'MedicationStatement'],
    mrnTypeSystem: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  },
  {
    version: 'dstu2' as FhirVersion,
    tenant: DSTU2_TENANT,
    patientSearch: { given: 'hugh', 'family:contains': 'chau' },
    patientId: 'hugh-chau',
    observationSort: '_sort:desc=date',
    medications: ['MedicationOrder'],
    mrnTypeSystem: 'http://hl7.org/fhir/v2/0203',
  },
])('the spec examples on $version', ({ version, tenant, patientSearch, patientId, observationSort, medications, mrnTypeSystem }) => {
  let t: TestSandbox;
  let bearer: string;
  beforeAll(async () => {
    t = await startTestSandbox();
    bearer = `Bearer ${await t.token(tenant)}`;
  });

  const get = async (path: string): Promise<Bundle> => {
    const response = await t.http.get(`/fhir/${version}/${path}`).set('Authorization', bearer);
    expect(response.status, `${path}: ${response.text.slice(0, 300)}`).toBe(200);
    const body = JSON.parse(response.text) as Bundle;
    expect(validateResource(version, body), path).toEqual([]);
    return body;
  };

  const expectSearchset = (bundle: Bundle) => {
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('searchset');
    expect(typeof bundle.total).toBe('number');
    expect(bundle.link?.find((link) => link.relation === 'self')).toBeDefined();
    for (const entry of bundle.entry ?? []) {
      if (entry.search?.mode === 'outcome') continue;
      expect(entry.search?.mode).toBe('match');
      expect(entry.fullUrl).toBe(`${entry.fullUrl?.split('/fhir/')[0]}/fhir/${version}/${entry.resource.resourceType}/${entry.resource.id}`);
    }
  };

  it('POST Patient/_search with a form body finds the example patient', async () => {
    const response = await t.http.post(`/fhir/${version}/Patient/_search`).set('Authorization', bearer).type('form').send(patientSearch);
    expect(response.status).toBe(200);
    const bundle = JSON.parse(response.text) as Bundle;
    expect(validateResource(version, bundle)).toEqual([]);
    expectSearchset(bundle);
    expect(bundle.total).toBe(1);
    const patient = bundle.entry?.[0]?.resource as Record<string, unknown>;
    expect(patient.id).toBe(patientId);
    const identifiers = patient.identifier as Array<{ type?: { coding?: Array<{ system: string; code: string }> }; value: string }>;
    expect(identifiers.some((identifier) => identifier.type?.coding?.some((coding) => coding.code === 'MR' && coding.system === mrnTypeSystem))).toBe(true);
  });

  it('finds the patient by MRN, birthdate and id as the client sends them', async () => {
    const patient = (await get(`Patient/${patientId}`)) as Record<string, unknown>;
    const mrn = (patient.identifier as Array<{ value: string; type?: { coding?: Array<{ code: string }> } }>).find((identifier) => identifier.type?.coding?.[0]?.code === 'MR')?.value;
    expect((await get(`Patient?identifier=${mrn}`)).entry?.map((entry) => entry.resource.id)).toEqual([patientId]);
    expect((await get(`Patient?birthdate=${patient.birthDate as string}`)).entry?.map((entry) => entry.resource.id)).toContain(patientId);
    expect((await get(`Patient?_id=${patientId}`)).total).toBe(1);
  });

  it('vital signs, newest first', async () => {
    const bundle = await get(`Observation?patient=${patientId}&category=vital-signs&${observationSort}`);
    expectSearchset(bundle);
    expect(bundle.total).toBeGreaterThan(0);
    const dates = (bundle.entry ?? []).map((entry) => String(entry.resource.effectiveDateTime));
    expect(dates).toEqual([...dates].sort().reverse());
    const first = bundle.entry?.[0]?.resource as unknown as { code: { coding: Array<{ system: string; code: string }> } };
    expect(first.code.coding[0]?.system).toBe('http://loinc.org');
  });

  it('conditions with _count', async () => {
    const bundle = await get(`Condition?patient=${patientId}&_count=2`);
    expectSearchset(bundle);
    expect(bundle.total).toBeGreaterThan(0);
    expect((bundle.entry ?? []).length).toBeLessThanOrEqual(2);
  });

  it('the latest encounter, with a location display that reads directly', async () => {
    const latest = await get(`Encounter?patient=${patientId}&_sort:desc=date&_count=1`);
    const all = await get(`Encounter?patient=${patientId}&_count=100`);
    expect(latest.entry).toHaveLength(1);
    expect(latest.total).toBe(all.total);
    const starts = (all.entry ?? []).map((entry) => String((entry.resource.period as { start: string }).start)).sort();
    const encounter = latest.entry?.[0]?.resource as unknown as { period: { start: string }; location: Array<{ location: { reference: string; display: string } }> };
    expect(encounter.period.start).toBe(starts.at(-1));
    expect(encounter.location[0]?.location.display).toBeTruthy();
    const location = await get(encounter.location[0]!.location.reference);
    expect(location.resourceType).toBe('Location');
  });

  it('allergies, medications and coverage', async () => {
    for (const path of [`AllergyIntolerance?patient=${patientId}`, ...medications.map((type) => `${type}?patient=${patientId}&_count=10`), `Coverage?patient=${patientId}`]) {
      const bundle = await get(path);
      expectSearchset(bundle);
      expect(bundle.total, path).toBeGreaterThan(0);
    }
  });

  it('a batch of all of them answers each entry, and one bad entry fails alone', async () => {
    const urls = [
      `Patient/${patientId}`,
      `Observation?patient=${patientId}&category=vital-signs&${observationSort}`,
      `Condition?patient=${patientId}&_count=5`,
      `Encounter?patient=${patientId}&_sort:desc=date&_count=1`,
      `AllergyIntolerance?patient=${patientId}`,
      ...medications.map((type) => `${type}?patient=${patientId}&_count=5`),
      `Coverage?patient=${patientId}`,
      'Observation?date=not-a-date',
    ];
    const response = await t.http
      .post(`/fhir/${version}`)
      .set('Authorization', bearer)
      .set('Content-Type', 'application/json+fhir')
      .send(JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: urls.map((url) => ({ request: { method: 'GET', url } })) }));
    expect(response.status).toBe(200);
    const bundle = JSON.parse(response.text) as Bundle;
    expect(validateResource(version, bundle)).toEqual([]);
    expect(bundle.type).toBe('batch-response');
    expect(bundle.entry).toHaveLength(urls.length);
    expect(bundle.entry?.slice(0, -1).every((entry) => entry.response?.status.startsWith('200'))).toBe(true);
    expect(bundle.entry?.at(-1)?.response?.status).toMatch(/^400/);
    expect(bundle.entry?.at(-1)?.resource.resourceType).toBe('OperationOutcome');
  });

  it('errors are valid OperationOutcomes too', async () => {
    for (const path of ['Patient/nobody', 'Observation?date=2020-13-45', 'Observation?_count=many', 'Patient?_sort=shoe-size', 'Nonsense?x=1']) {
      const response = await t.http.get(`/fhir/${version}/${path}`).set('Authorization', bearer);
      expect([400, 404], path).toContain(response.status);
      const outcome = JSON.parse(response.text) as Resource;
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(validateResource(version, outcome), path).toEqual([]);
    }
  });

  it('the capability document is valid', async () => {
    const response = await t.http.get(`/fhir/${version}/metadata`);
    expect(validateResource(version, JSON.parse(response.text))).toEqual([]);
  });
});

describe('paging with a real client', () => {
  let server: RunningServer;
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({}, { clock: systemClock });
    server = await listen(t.sandbox.app, 0, '127.0.0.1');
  });
  afterAll(() => server.close(1_000));

  it.each([
    ['stu3', STU3_TENANT],
    ['r4', R4_TENANT],
  ] as const)('fhir-kit-client pages a 100+ match %s search with nextPage() and sees every match exactly once', async (version, tenant) => {
    const client = new Client({ baseUrl: `${server.origin}/fhir/${version}`, bearerToken: await t.token(tenant) });
    let bundle = (await client.search({ resourceType: 'Observation', searchParams: { category: 'vital-signs', _count: 25 } })) as unknown as Bundle;
    const total = bundle.total ?? 0;
    expect(total).toBeGreaterThan(100);
    const seen: string[] = [];
    for (let pages = 0; pages < 100; pages++) {
      expect(validateResource(version, bundle)).toEqual([]);
      seen.push(...(bundle.entry ?? []).map((entry) => entry.resource.id as string));
      const next = client.nextPage({ bundle: bundle as never });
      if (!next) break;
      bundle = (await next) as unknown as Bundle;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });
});
