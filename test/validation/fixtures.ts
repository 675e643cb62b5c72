/**
 * Hand-written resources for the validation tests: the spec's example patients and a vital-sign
 * observation, in each version's shape, plus search Bundles holding them. Tests copy and break them.
 */
import type { Resource } from '../../src/fhir/types.js';

const MRN_TYPE = {
  coding: [{ system: 'http://hl7.org/fhir/v2/0203', code: 'MR' }],
};

export const stu3Patient: Resource = {
  resourceType: 'Patient',
  id: 'ruth-black',
  meta: { versionId: '1', lastUpdated: '2024-01-01T00:00:00Z' },
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Ruth C. Black</div>' },
  identifier: [{ use: 'usual', type: MRN_TYPE, system: 'urn:oid:1.2.36.146.595.217.0.1', value: '1234567' }],
  active: true,
  name: [{ use: 'official', family: 'Black', given: ['Ruth', 'C.'], prefix: ['Mrs'] }],
  gender: 'female',
  birthDate: '1951-08-23',
  _birthDate: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueDateTime: '1951-08-23T14:35:00+01:00' }] },
  generalPractitioner: [{ reference: 'Practitioner/jane-doe', display: 'Jane Doe' }],
};

export const stu3Observation: Resource = {
  resourceType: 'Observation',
  id: 'bp-1',
  status: 'final',
  category: [
    { coding: [{ system: 'http://hl7.org/fhir/observation-category', code: 'vital-signs', display: 'Vital Signs' }] },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }] },
  subject: { reference: 'Patient/ruth-black' },
  effectiveDateTime: '2024-03-01T09:30:00Z',
  component: [
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }] },
      valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' }] },
      valueQuantity: { value: 80.5, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
  ],
};

export const dstu2Patient: Resource = {
  resourceType: 'Patient',
  id: 'hugh-chau',
  text: { status: 'generated', div: '<div>Hugh Chau</div>' },
  identifier: [{ type: MRN_TYPE, value: '7654321' }],
  name: [{ use: 'official', family: ['Chau'], given: ['Hugh'], prefix: ['Mr'] }],
  gender: 'male',
  birthDate: '1957-06-05',
  careProvider: [{ reference: 'Practitioner/jane-doe', display: 'Jane Doe' }],
};

export const dstu2Observation: Resource = {
  resourceType: 'Observation',
  id: 'hr-1',
  status: 'final',
  category: { coding: [{ system: 'http://hl7.org/fhir/observation-category', code: 'vital-signs' }] },
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
  subject: { reference: 'Patient/hugh-chau' },
  effectiveDateTime: '2024-03-01T09:30:00+10:00',
  valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
};

export const r4Patient: Resource = {
  resourceType: 'Patient',
  id: 'ruth-black',
  meta: { versionId: '1', lastUpdated: '2024-01-01T00:00:00Z', profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'] },
  extension: [
    {
      url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
      extension: [
        { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3', display: 'White' } },
        { url: 'text', valueString: 'White' },
      ],
    },
    { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: 'F' },
  ],
  identifier: [
    { use: 'usual', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'urn:oid:1.2.36.146.595.217.0.1', value: '1234567' },
  ],
  name: [{ use: 'official', family: 'Black', given: ['Ruth', 'C.'], prefix: ['Mrs'] }],
  gender: 'female',
  birthDate: '1951-08-23',
  generalPractitioner: [{ reference: 'Practitioner/jane-doe', display: 'Jane Doe' }],
};

export const r4Condition: Resource = {
  resourceType: 'Condition',
  id: 'ruth-htn',
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
  code: { coding: [{ system: 'http://snomed.info/sct', code: '59621000', display: 'Essential hypertension' }] },
  subject: { reference: 'Patient/ruth-black' },
  encounter: { reference: 'Encounter/enc-1' },
  recordedDate: '2020-05-05T10:00:00Z',
};

/** A searchset as the sandbox returns it: total, self link, fullUrl and search.mode on each entry. */
export function searchset(base: string, resources: readonly Resource[]): Resource {
  return {
    resourceType: 'Bundle',
    id: 'search-1',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: `${base}/Patient?_count=10` }],
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

/** A deep copy to break in a test without touching the shared fixture. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
