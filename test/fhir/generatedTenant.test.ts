import { describe, expect, it } from 'vitest';
import { generateTenantData } from '../../src/data/generateTenantData.js';
import type { FhirProvider } from '../../src/fhir/fhirProvider.js';
import { handleFhirRequest } from '../../src/fhir/server.js';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import type { FhirVersion, Resource } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { matchIds } from './fixtures.js';

const CLIENT_SEARCHES: Record<FhirVersion, (patientId: string) => string[]> = {
  dstu2: (id) => [
    `Observation?patient=${id}&category=vital-signs&_sort:desc=date`,
    `Condition?patient=${id}&_count=20`,
    `Encounter?patient=${id}&_sort:desc=date&_count=1`,
    `AllergyIntolerance?patient=${id}`,
    `MedicationOrder?patient=${id}&_count=20`,
    `Coverage?patient=${id}`,
  ],
  stu3: (id) => [
    `Observation?patient=${id}&category=vital-signs&_sort=-date`,
    `Condition?patient=${id}&_count=20`,
    `Encounter?patient=${id}&_sort:desc=date&_count=1`,
    `AllergyIntolerance?patient=${id}`,
    `MedicationRequest?patient=${id}&_count=20`,
    `MedicationStatement?patient=${id}&_count=20`,
  ],
  r4: (id) => [
    `Observation?patient=${id}&category=vital-signs&_sort=-date`,
    `Condition?patient=${id}&clinical-status=active&_count=20`,
    `Encounter?patient=${id}&_sort:desc=date&_count=1`,
    `AllergyIntolerance?patient=${id}`,
    `MedicationRequest?patient=${id}&_count=20`,
    `Coverage?patient=${id}`,
  ],
};

/** The patient a generated clinical resource belongs to, read the slow, obvious way. */
function patientOf(resource: Resource): string | undefined {
  for (const element of ['subject', 'patient', 'beneficiary']) {
    const reference = (resource[element] as { reference?: string } | undefined)?.reference;
    if (reference?.startsWith('Patient/')) return reference.slice('Patient/'.length);
  }
  if (resource.resourceType === 'Coverage') return (resource['subscriber'] as { reference?: string } | undefined)?.reference?.slice('Patient/'.length);
  return undefined;
}

describe.each(['dstu2', 'stu3', 'r4'] as const)('a generated %s tenant loaded into the store', (version) => {
  const data = generateTenantData({ seed: 11, tenantId: `t-${version}`, providerName: 'General Hospital', fhirVersion: version, patientCount: 25 });
  const clock = new ManualClock();
  const adapter = adapterFor(version);
  const store = new ResourceStore(adapter, clock);
  for (const resources of Object.values(data)) for (const resource of resources) store.add(resource);
  const provider: FhirProvider = { adapter, store, readOnly: true, clock };
  const baseUrl = `http://localhost/fhir/${version}`;
  const get = (url: string) => {
    const [path = '', query = ''] = url.split('?');
    return handleFhirRequest({ method: 'GET', path, params: [...new URLSearchParams(query)], headers: {}, baseUrl }, provider);
  };
  const patients = data['Patient'] ?? [];

  it('reads every generated resource of a served type back by id', () => {
    for (const [type, resources] of Object.entries(data)) {
      if (!adapter.resourceTypes.includes(type)) continue;
      for (const resource of resources) expect(get(`${type}/${resource.id}`).status).toBe(200);
    }
  });

  it('finds exactly each patient\'s resources through the patient index', () => {
    for (const type of adapter.resourceTypes) {
      if (type === 'Patient' || !(data[type] ?? []).some((resource) => patientOf(resource) !== undefined)) continue;
      for (const patient of patients.slice(0, 8)) {
        const expected = (data[type] ?? []).filter((resource) => patientOf(resource) === patient.id).map((resource) => resource.id).sort();
        const bundle = JSON.parse(get(`${type}?patient=${patient.id}&_count=500`).json?.toString() ?? '{}') as Resource;
        expect(bundle['total']).toBe(expected.length);
        expect(matchIds(bundle).sort()).toEqual(expected);
      }
    }
  });

  it('answers the client\'s batch of six patient-scoped searches with valid bundles', () => {
    const patient = patients[0] as Resource;
    const body = { resourceType: 'Bundle', type: 'batch', entry: CLIENT_SEARCHES[version](patient.id as string).map((url) => ({ request: { method: 'GET', url } })) };
    const response = handleFhirRequest({ method: 'POST', path: '', params: [], body, headers: {}, baseUrl }, provider);
    const bundle = JSON.parse(response.json?.toString() ?? '{}') as Resource;
    const entries = bundle['entry'] as Array<{ response: { status: string }; resource: Resource }>;
    expect(entries.map((entry) => entry.response.status)).toEqual(Array(6).fill('200 OK'));
    expect(validateResource(version, bundle)).toEqual([]);
    const encounters = entries[2]?.resource as Resource;
    expect(matchIds(encounters)).toHaveLength(1);
  });

  it('finds patients by family substring, given name, MRN and birth date', () => {
    const patient = patients[3] as Resource;
    const name = (patient['name'] as Array<{ family: string | string[]; given: string[] }>)[0];
    const family = ([] as string[]).concat(name?.family ?? [])[0] as string;
    const mrn = (patient['identifier'] as Array<{ value: string }>)[0]?.value as string;
    const queries = [
      `Patient?family:contains=${family.slice(1, 4)}`,
      `Patient?given=${name?.given[0]}`,
      `Patient?identifier=${mrn}`,
      `Patient?birthdate=${patient['birthDate'] as string}`,
    ];
    for (const query of queries) expect(matchIds(JSON.parse(get(query).json?.toString() ?? '{}') as Resource)).toContain(patient.id);
  });
});
