import { ManualClock } from '../../src/lib/clock.js';
import type { FhirProvider } from '../../src/fhir/fhirProvider.js';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import type { FhirMethod, FhirRequest, FhirResponse, FhirVersion, Resource } from '../../src/fhir/types.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { handleFhirRequest } from '../../src/fhir/server.js';

/** Small typed resources with fixed ids, one set per version, shaped as each version spells them. */

export const BASE_URL = 'http://sandbox.test/fhir';
export const START = Date.UTC(2026, 0, 1, 12, 0, 0);

const MRN_TYPE = { coding: [{ system: 'http://hl7.org/fhir/v2/0203', code: 'MR' }] };
const VITAL_SIGNS = { system: 'http://hl7.org/fhir/observation-category', code: 'vital-signs' };
const HEART_RATE = { system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' };
const BODY_WEIGHT = { system: 'http://loinc.org', code: '29463-7', display: 'Body weight' };

export const stu3Ruth: Resource = {
  resourceType: 'Patient',
  id: 'ruth',
  identifier: [{ type: MRN_TYPE, system: 'urn:oid:1.2.3', value: '1234567' }],
  name: [{ use: 'official', family: 'Black', given: ['Ruth', 'C.'] }],
  gender: 'female',
  birthDate: '1951-08-23',
};

export const stu3Zoe: Resource = {
  resourceType: 'Patient',
  id: 'zoe',
  identifier: [{ type: MRN_TYPE, system: 'urn:oid:1.2.3', value: '7654321' }],
  name: [{ family: 'Blackwood', given: ['Zoë'] }],
  gender: 'female',
  birthDate: '1990-02',
};

export const stu3Daniel: Resource = {
  resourceType: 'Patient',
  id: 'daniel',
  name: [{ family: 'Adams', given: ['Daniel', 'X.'] }],
  gender: 'male',
  birthDate: '1925-12-23',
};

export const stu3RuthHeartRate: Resource = {
  resourceType: 'Observation',
  id: 'ruth-hr-1',
  status: 'final',
  category: [{ coding: [VITAL_SIGNS] }],
  code: { coding: [HEART_RATE] },
  subject: { reference: 'Patient/ruth' },
  effectiveDateTime: '2025-03-01T09:30:00Z',
  valueQuantity: { value: 72, unit: '/min' },
};

export const stu3RuthHeartRateLater: Resource = {
  resourceType: 'Observation',
  id: 'ruth-hr-2',
  status: 'final',
  category: [{ coding: [VITAL_SIGNS] }],
  code: { coding: [HEART_RATE] },
  subject: { reference: 'http://elsewhere.test/fhir/Patient/ruth' },
  effectiveDateTime: '2025-06-15T08:00:00Z',
  valueQuantity: { value: 80, unit: '/min' },
};

export const stu3RuthWeight: Resource = {
  resourceType: 'Observation',
  id: 'ruth-weight',
  status: 'final',
  category: [{ coding: [VITAL_SIGNS] }],
  code: { coding: [BODY_WEIGHT] },
  subject: { reference: 'Patient/ruth' },
  effectivePeriod: { start: '2024-11-20T10:00:00Z', end: '2024-11-20T10:05:00Z' },
  valueQuantity: { value: 61, unit: 'kg' },
};

export const stu3RuthLab: Resource = {
  resourceType: 'Observation',
  id: 'ruth-lab',
  status: 'final',
  category: [{ coding: [{ system: 'http://hl7.org/fhir/observation-category', code: 'laboratory' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
  subject: { reference: 'Patient/ruth' },
  effectiveDateTime: '2025-01-10',
};

export const stu3DanielHeartRate: Resource = {
  resourceType: 'Observation',
  id: 'daniel-hr',
  status: 'final',
  category: [{ coding: [VITAL_SIGNS] }],
  code: { coding: [HEART_RATE] },
  subject: { reference: 'Patient/daniel' },
  effectiveDateTime: '2025-02-01T12:00:00Z',
};

export const stu3RuthEncounterOld: Resource = {
  resourceType: 'Encounter',
  id: 'ruth-enc-old',
  status: 'finished',
  subject: { reference: 'Patient/ruth' },
  period: { start: '2023-04-01T08:00:00Z', end: '2023-04-03T12:00:00Z' },
};

export const stu3RuthEncounterCurrent: Resource = {
  resourceType: 'Encounter',
  id: 'ruth-enc-now',
  status: 'in-progress',
  subject: { reference: 'Patient/ruth' },
  period: { start: '2025-12-30T08:00:00Z' },
  location: [{ location: { reference: 'Location/ward-3', display: 'Ward 3' } }],
};

export const stu3RuthCondition: Resource = {
  resourceType: 'Condition',
  id: 'ruth-cond',
  subject: { reference: 'Patient/ruth' },
  code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }] },
  assertedDate: '2020-05-05',
};

export const stu3RuthCoverage: Resource = {
  resourceType: 'Coverage',
  id: 'ruth-cov',
  status: 'active',
  beneficiary: { reference: 'Patient/ruth' },
  subscriberId: 'SUB-1',
};

export const stu3Ward: Resource = { resourceType: 'Location', id: 'ward-3', name: 'Ward 3', status: 'active' };

export const STU3_FIXTURES: readonly Resource[] = [
  stu3Ruth,
  stu3Zoe,
  stu3Daniel,
  stu3RuthHeartRate,
  stu3RuthHeartRateLater,
  stu3RuthWeight,
  stu3RuthLab,
  stu3DanielHeartRate,
  stu3RuthEncounterOld,
  stu3RuthEncounterCurrent,
  stu3RuthCondition,
  stu3RuthCoverage,
  stu3Ward,
];

export const dstu2Hugh: Resource = {
  resourceType: 'Patient',
  id: 'hugh',
  identifier: [{ type: MRN_TYPE, system: 'urn:oid:1.2.3', value: '555' }],
  name: [{ use: 'official', family: ['Chau'], given: ['Hugh'], prefix: ['Mr'] }],
  gender: 'male',
  birthDate: '1957-06-05',
  careProvider: [{ reference: 'Practitioner/jane', display: 'Jane Doe' }],
};

export const dstu2HughHeartRate: Resource = {
  resourceType: 'Observation',
  id: 'hugh-hr',
  status: 'final',
  category: { coding: [VITAL_SIGNS] },
  code: { coding: [HEART_RATE] },
  subject: { reference: 'Patient/hugh' },
  effectiveDateTime: '2025-05-05T10:00:00Z',
};

export const dstu2HughHeartRateOld: Resource = {
  resourceType: 'Observation',
  id: 'hugh-hr-old',
  status: 'final',
  category: { coding: [VITAL_SIGNS] },
  code: { coding: [HEART_RATE] },
  subject: { reference: 'Patient/hugh' },
  effectiveDateTime: '2021-05-05T10:00:00Z',
};

export const dstu2HughCondition: Resource = {
  resourceType: 'Condition',
  id: 'hugh-cond',
  patient: { reference: 'Patient/hugh' },
  code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes' }] },
  verificationStatus: 'confirmed',
  dateRecorded: '2019-03-03',
};

export const dstu2HughEncounter: Resource = {
  resourceType: 'Encounter',
  id: 'hugh-enc',
  status: 'finished',
  patient: { reference: 'Patient/hugh' },
  period: { start: '2024-01-01T08:00:00Z', end: '2024-01-02T08:00:00Z' },
};

export const dstu2HughCoverage: Resource = {
  resourceType: 'Coverage',
  id: 'hugh-cov',
  subscriber: { reference: 'Patient/hugh' },
  plan: 'GOLD',
};

export const dstu2HughOrder: Resource = {
  resourceType: 'MedicationOrder',
  id: 'hugh-med',
  patient: { reference: 'Patient/hugh' },
  dateWritten: '2025-01-01',
  status: 'active',
  medicationCodeableConcept: { text: 'Metformin 500 mg' },
};

export const DSTU2_FIXTURES: readonly Resource[] = [
  dstu2Hugh,
  dstu2HughHeartRate,
  dstu2HughHeartRateOld,
  dstu2HughCondition,
  dstu2HughEncounter,
  dstu2HughCoverage,
  dstu2HughOrder,
];

const R4_MRN_TYPE = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] };
const R4_VITAL_SIGNS = { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' };
const r4Status = (system: string, code: string) => ({ coding: [{ system: `http://terminology.hl7.org/CodeSystem/${system}`, code }] });

/** The STU3 set again in R4's shapes: terminology.hl7.org systems, coded statuses, recordedDate, encounter, class. */
export const r4Ruth: Resource = { ...stu3Ruth, identifier: [{ type: R4_MRN_TYPE, system: 'urn:oid:1.2.3', value: '1234567' }] };
export const r4Zoe: Resource = { ...stu3Zoe, identifier: [{ type: R4_MRN_TYPE, system: 'urn:oid:1.2.3', value: '7654321' }] };
export const r4Daniel: Resource = { ...stu3Daniel };

export const r4RuthHeartRate: Resource = { ...stu3RuthHeartRate, category: [{ coding: [R4_VITAL_SIGNS] }], encounter: { reference: 'Encounter/ruth-enc-old' } };
export const r4RuthHeartRateLater: Resource = { ...stu3RuthHeartRateLater, category: [{ coding: [R4_VITAL_SIGNS] }] };
export const r4RuthWeight: Resource = { ...stu3RuthWeight, category: [{ coding: [R4_VITAL_SIGNS] }] };
export const r4RuthLab: Resource = {
  ...stu3RuthLab,
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
};
export const r4DanielHeartRate: Resource = { ...stu3DanielHeartRate, category: [{ coding: [R4_VITAL_SIGNS] }] };

export const r4RuthEncounterOld: Resource = {
  ...stu3RuthEncounterOld,
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
};

export const r4RuthEncounterCurrent: Resource = {
  ...stu3RuthEncounterCurrent,
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
};

export const r4RuthCondition: Resource = {
  resourceType: 'Condition',
  id: 'ruth-cond',
  clinicalStatus: r4Status('condition-clinical', 'active'),
  verificationStatus: r4Status('condition-ver-status', 'confirmed'),
  subject: { reference: 'Patient/ruth' },
  encounter: { reference: 'Encounter/ruth-enc-old' },
  code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }] },
  recordedDate: '2020-05-05',
};

export const r4RuthResolvedCondition: Resource = {
  resourceType: 'Condition',
  id: 'ruth-cond-old',
  clinicalStatus: r4Status('condition-clinical', 'resolved'),
  verificationStatus: r4Status('condition-ver-status', 'provisional'),
  subject: { reference: 'Patient/ruth' },
  code: { coding: [{ system: 'http://snomed.info/sct', code: '444814009', display: 'Viral sinusitis' }] },
  recordedDate: '2018-01-10T09:00:00Z',
  abatementDateTime: '2018-02-01',
};

export const r4RuthAllergy: Resource = {
  resourceType: 'AllergyIntolerance',
  id: 'ruth-allergy',
  clinicalStatus: r4Status('allergyintolerance-clinical', 'active'),
  verificationStatus: r4Status('allergyintolerance-verification', 'confirmed'),
  code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7980', display: 'Penicillin G' }] },
  patient: { reference: 'Patient/ruth' },
  recordedDate: '2015-06-01',
};

export const r4RuthRequest: Resource = {
  resourceType: 'MedicationRequest',
  id: 'ruth-med',
  status: 'active',
  intent: 'order',
  medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076' }] },
  subject: { reference: 'Patient/ruth' },
  encounter: { reference: 'Encounter/ruth-enc-now' },
  authoredOn: '2025-12-30',
  requester: { reference: 'Practitioner/jane', display: 'Jane Doe' },
};

export const r4RuthCoverage: Resource = {
  resourceType: 'Coverage',
  id: 'ruth-cov',
  status: 'active',
  beneficiary: { reference: 'Patient/ruth' },
  payor: [{ reference: 'Organization/payor', display: 'Medicare' }],
  subscriberId: 'SUB-1',
  class: [
    { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'group' }] }, value: 'GRP-7', name: 'Retirees' },
    { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: 'GOLD-PLUS', name: 'Gold Plus' },
  ],
};

export const r4Ward: Resource = { ...stu3Ward };

export const R4_FIXTURES: readonly Resource[] = [
  r4Ruth,
  r4Zoe,
  r4Daniel,
  r4RuthHeartRate,
  r4RuthHeartRateLater,
  r4RuthWeight,
  r4RuthLab,
  r4DanielHeartRate,
  r4RuthEncounterOld,
  r4RuthEncounterCurrent,
  r4RuthCondition,
  r4RuthResolvedCondition,
  r4RuthAllergy,
  r4RuthRequest,
  r4RuthCoverage,
  r4Ward,
];

const FIXTURES_BY_VERSION: Readonly<Record<FhirVersion, readonly Resource[]>> = {
  dstu2: DSTU2_FIXTURES,
  stu3: STU3_FIXTURES,
  r4: R4_FIXTURES,
};

export interface TestServer {
  provider: FhirProvider;
  clock: ManualClock;
  baseUrl: string;
  request(method: FhirMethod, path: string, options?: RequestOptions): FhirResponse;
  /** The response body, parsed whether it came as text or as an object. */
  body(response: FhirResponse): Resource;
}

export interface RequestOptions {
  params?: ReadonlyArray<readonly [string, string]>;
  body?: unknown;
  headers?: FhirRequest['headers'];
}

/** A provider of the given version holding the fixtures, and a one-line way to send it requests. */
export function testServer(version: FhirVersion, options: { readOnly?: boolean; resources?: readonly Resource[] } = {}): TestServer {
  const clock = new ManualClock(START);
  const adapter = adapterFor(version);
  const store = new ResourceStore(adapter, clock);
  for (const resource of options.resources ?? FIXTURES_BY_VERSION[version]) {
    store.add(resource);
    clock.advance(1000);
  }
  const provider: FhirProvider = { adapter, store, readOnly: options.readOnly ?? false, clock };
  const baseUrl = `${BASE_URL}/${version}`;
  return {
    provider,
    clock,
    baseUrl,
    request: (method, path, requestOptions = {}) =>
      handleFhirRequest(
        { method, path, params: requestOptions.params ?? [], body: requestOptions.body, headers: requestOptions.headers ?? {}, baseUrl },
        provider,
      ),
    body: (response) => (response.json !== undefined ? (JSON.parse(response.json.toString()) as Resource) : (response.resource as Resource)),
  };
}

/** Ids of the match entries of a searchset, in order. */
export function matchIds(bundle: Resource): string[] {
  const entries = (bundle['entry'] ?? []) as Array<{ resource: Resource; search?: { mode: string } }>;
  return entries.filter((entry) => entry.search?.mode === 'match').map((entry) => entry.resource.id as string);
}
