import type { FhirProvider } from '../../src/fhir/fhirProvider.js';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import type { FhirVersion, Resource } from '../../src/fhir/types.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { generateTenant, tenantOptions } from '../data/generatedTenant.js';

/** A provider and, beside it, the same resources as plain data in insertion order, for the oracle. */
export interface SearchDataset {
  name: string;
  provider: FhirProvider;
  resources: Resource[];
}

const START = Date.UTC(2026, 0, 1, 8);

/**
 * `plain`: a generated tenant as it is seeded, where most parameters hold one value per resource
 * (so search may count without merging). `churned`: the same plus resources built to overlap
 * (two identifiers with one value, repeated codings, codes without a system, open periods,
 * accents, commas), then updates, deletes and a re-created id.
 */
export function searchDataset(version: FhirVersion, variant: 'plain' | 'churned', patientCount = 15): SearchDataset {
  const clock = new ManualClock(START);
  const adapter = adapterFor(version);
  const store = new ResourceStore(adapter, clock);
  // Insertion order as FHIR search returns it by default: an update keeps its place, a re-created id goes last.
  const order = new Map<string, string>();
  const keyOf = (type: string, id: string) => `${type}/${id}`;
  const generated = generateTenant(tenantOptions(version, { patientCount })).all;
  generated.forEach((resource, index) => {
    // Spread lastUpdated over time so _lastUpdated and its sort have something to tell apart.
    if (index % 7 === 0) clock.advance(60_000);
    const record = store.add(withoutMeta(resource));
    order.set(keyOf(resource.resourceType, record.id), resource.resourceType);
  });
  if (variant === 'churned') churn(version, store, clock, order, keyOf);
  const resources: Resource[] = [];
  for (const key of order.keys()) {
    const [type, id] = key.split('/') as [string, string];
    const read = store.read(type, id);
    if (read.status === 'found') resources.push(read.record.resource());
  }
  return { name: `${version} ${variant}`, provider: { adapter, store, readOnly: false, clock }, resources };
}

function withoutMeta(resource: Resource): Resource {
  const { meta: _meta, ...rest } = resource;
  return rest as Resource;
}

function churn(
  version: FhirVersion,
  store: ResourceStore,
  clock: ManualClock,
  order: Map<string, string>,
  keyOf: (type: string, id: string) => string,
): void {
  const put = (resource: Resource) => {
    clock.advance(1_500);
    const record = store.upsert(resource);
    const key = keyOf(resource.resourceType, record.id);
    if (!order.has(key)) order.set(key, resource.resourceType);
  };
  const remove = (type: string, id: string) => {
    clock.advance(1_500);
    store.remove(type, id);
    order.delete(keyOf(type, id));
  };
  const patients = store.list('Patient');
  const observations = store.list('Observation');
  const vitalSigns = { system: 'http://hl7.org/fhir/observation-category', code: 'vital-signs' };
  const family = (name: string) => (version === 'dstu2' ? [name] : name);

  put({ resourceType: 'Patient', id: 'twin-ids', identifier: [{ system: 'urn:a', value: '42' }, { system: 'urn:b', value: '42' }, { value: '42' }], gender: 'other', name: [{ family: family('Ångström'), given: ['Zoë', 'Zoe'] }], birthDate: '1990' });
  put({ resourceType: 'Patient', id: 'comma', identifier: [{ value: '42' }], name: [{ family: family('Smith, Jr'), given: ['Al'] }, { family: family('Smith'), given: ['Al'] }], birthDate: '1990-02' });
  put({ resourceType: 'Patient', id: 'bare', active: true });
  const subject = `Patient/${patients[0]?.id ?? 'twin-ids'}`;
  put({
    resourceType: 'Observation',
    id: 'twin-category',
    status: 'final',
    category: version === 'dstu2' ? { coding: [vitalSigns, { code: 'vital-signs' }] } : [{ coding: [vitalSigns] }, { coding: [{ system: 'urn:local', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }, { system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: `http://elsewhere.test/fhir/${subject}/_history/3` },
    effectivePeriod: { start: '2025-03-01T10:00:00Z' },
  });
  put({
    resourceType: 'Observation',
    id: 'open-start',
    status: 'final',
    code: { coding: [{ code: 'no-system' }] },
    subject: { reference: subject },
    effectivePeriod: { end: '2024-06' },
  });
  // Updates move values between posting lists; the records keep their place.
  for (const patient of patients.slice(0, 4)) put({ ...patient, gender: patient['gender'] === 'male' ? 'female' : 'male', name: [{ family: family('Renamed'), given: ['Changed'] }] });
  for (const observation of observations.slice(0, 6)) put({ ...observation, category: version === 'dstu2' ? { coding: [vitalSigns] } : [{ coding: [vitalSigns] }, { coding: [vitalSigns] }] });
  // Deletes leave holes; a deleted id created again goes to the end.
  for (const observation of observations.slice(10, 16)) remove('Observation', observation.id as string);
  for (const patient of patients.slice(5, 7)) remove('Patient', patient.id as string);
  const again = patients[5];
  if (again !== undefined) put({ ...again, name: [{ family: family('Returned') }] });
}
