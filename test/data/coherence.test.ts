import { describe, expect, it } from 'vitest';
import { FHIR_VERSIONS, type Resource } from '../../src/fhir/types.js';
import { ALLERGENS, REACTIONS } from '../../src/data/codes/allergies.js';
import type { Concept } from '../../src/data/codes/concept.js';
import { CONDITION_SEVERITIES, CONDITIONS } from '../../src/data/codes/conditions.js';
import { ENCOUNTER_TYPES } from '../../src/data/codes/encounterTypes.js';
import { MEDICATIONS } from '../../src/data/codes/medications.js';
import { ARTERIAL_OXYGEN_SATURATION, BLOOD_PRESSURE_COMPONENTS, BLOOD_PRESSURE_PANEL, VITAL_SIGNS } from '../../src/data/codes/vitalSigns.js';
import { defaultFixtures, generateTenant, referencesIn, tenantOptions } from './generatedTenant.js';

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** Outer physiological limits by age, written independently of the generator's own tables. */
function limitsFor(code: string, ageYears: number): [number, number] {
  const child = ageYears < 12;
  switch (code) {
    case '8867-4':
      return child ? [70, 190] : [40, 130];
    case '9279-1':
      return ageYears < 1 ? [25, 60] : child ? [15, 45] : [8, 30];
    case '8310-5':
      return [35.5, 39.5];
    case '59408-5':
      return [85, 100];
    case '8480-6':
      return child ? [60, 130] : [85, 190];
    case '8462-4':
      return child ? [30, 85] : [45, 115];
    case '29463-7':
      return ageYears < 1 ? [2, 14] : ageYears < 12 ? [7, 75] : [30, 200];
    case '8302-2':
      return ageYears < 1 ? [44, 85] : ageYears < 12 ? [70, 170] : [135, 205];
    case '39156-5':
      return ageYears < 18 ? [10, 30] : [16, 45];
    default:
      throw new Error(`no limits for ${code}`);
  }
}

/** Displays checked against the published terminologies, kept here independently of the code tables. */
const KNOWN_DISPLAYS: Readonly<Record<string, string>> = {
  '8867-4': 'Heart rate',
  '9279-1': 'Respiratory rate',
  '8310-5': 'Body temperature',
  '85354-9': 'Blood pressure panel with all children optional',
  '8480-6': 'Systolic blood pressure',
  '8462-4': 'Diastolic blood pressure',
  '29463-7': 'Body weight',
  '8302-2': 'Body height',
  '39156-5': 'Body mass index (BMI) [Ratio]',
  '59408-5': 'Oxygen saturation in Arterial blood by Pulse oximetry',
  '2708-6': 'Oxygen saturation in Arterial blood',
  '44054006': 'Diabetes mellitus type 2',
  '59621000': 'Essential hypertension',
  '195967001': 'Asthma',
  '314076': 'lisinopril 10 MG Oral Tablet',
  '860975': '24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet',
};

const VETTED: ReadonlyMap<string, string> = new Map(
  [
    ...Object.values(VITAL_SIGNS).map((definition) => definition.concept),
    BLOOD_PRESSURE_PANEL,
    ARTERIAL_OXYGEN_SATURATION,
    ...Object.values(BLOOD_PRESSURE_COMPONENTS).map((definition) => definition.concept),
    ...Object.values(CONDITIONS).map((definition) => definition.concept),
    ...Object.values(CONDITION_SEVERITIES),
    ...Object.values(MEDICATIONS).map((definition) => definition.concept),
    ...Object.values(ALLERGENS).map((definition) => definition.concept),
    ...Object.values(REACTIONS),
    ...Object.values(ENCOUNTER_TYPES).map((definition) => definition.concept),
  ].map((concept: Concept) => [`${concept.system}|${concept.code}`, concept.display]),
);
const TERMINOLOGIES = new Set(['http://loinc.org', 'http://snomed.info/sct', 'http://www.nlm.nih.gov/research/umls/rxnorm']);

function codingsIn(value: unknown, found: Array<{ system: string; code: string; display?: string }> = []) {
  if (Array.isArray(value)) for (const item of value) codingsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record['system'] === 'string' && typeof record['code'] === 'string' && 'display' in record) {
      found.push(record as { system: string; code: string; display?: string });
    }
    for (const item of Object.values(record)) codingsIn(item, found);
  }
  return found;
}

const PATIENTS = 100;

/** Where each version keeps what the tests check, written out independently of the renderers. */
const SPELLING = {
  dstu2: { hl7: 'http://hl7.org/fhir/', conditionRecorded: 'dateRecorded' },
  stu3: { hl7: 'http://hl7.org/fhir/', conditionRecorded: 'assertedDate' },
  r4: { hl7: 'http://terminology.hl7.org/CodeSystem/', conditionRecorded: 'recordedDate' },
} as const;

describe.each(FHIR_VERSIONS)('a generated %s tenant', (fhirVersion) => {
  const tenant = generateTenant(tenantOptions(fhirVersion, { patientCount: PATIENTS, fixtures: defaultFixtures }));
  const birthDates = new Map(
    tenant.patients.map((batch) => [`Patient/${batch[0]?.id}`, Date.parse(`${String(batch[0]?.['birthDate'])}T00:00:00Z`)]),
  );
  const ofType = (type: string): Resource[] => tenant.all.filter((resource) => resource.resourceType === type);
  const patientOf = (resource: Resource): string =>
    ((resource['subject'] ?? resource['patient'] ?? resource['beneficiary'] ?? resource['subscriber']) as { reference: string }).reference;

  it('starts every patient batch with the Patient and keeps ids unique', () => {
    for (const batch of tenant.patients) expect(batch[0]?.resourceType).toBe('Patient');
    const keys = tenant.all.map((resource) => `${resource.resourceType}/${resource.id}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('resolves every reference within the tenant', () => {
    const known = new Set(tenant.all.map((resource) => `${resource.resourceType}/${resource.id}`));
    const dangling = tenant.all.flatMap((resource) => referencesIn(resource).filter((reference) => !known.has(reference)));
    expect(dangling).toEqual([]);
  });

  it("keeps a patient's resources in its own batch", () => {
    for (const batch of tenant.patients) {
      const patient = `Patient/${batch[0]?.id}`;
      for (const resource of batch.slice(1)) expect(patientOf(resource)).toBe(patient);
    }
  });

  it('stamps meta from the reference date', () => {
    for (const resource of tenant.all) {
      const { profile, ...stamp } = resource.meta ?? {};
      expect(stamp).toEqual({ versionId: '1', lastUpdated: '2026-01-01T00:00:00Z' });
      // R4 names the profile a resource is written to satisfy; Coverage and MedicationStatement have none in US Core 3.1.1.
      if (fhirVersion !== 'r4' || ['Coverage', 'MedicationStatement'].includes(resource.resourceType)) expect(profile).toBeUndefined();
      else expect(profile).toEqual([expect.stringMatching(/^http:\/\/hl7\.org\/fhir\/(us\/core\/)?StructureDefinition\/[a-z-]+$/)]);
    }
  });

  it('averages roughly forty resources per patient', () => {
    const perPatient = tenant.patients.slice(3).reduce((sum, batch) => sum + batch.length, 0) / PATIENTS;
    expect(perPatient).toBeGreaterThan(fhirVersion === 'dstu2' ? 31 : 33);
    expect(perPatient).toBeLessThan(45);
  });

  it('uses only vetted codes, with their exact displays', () => {
    const codings = tenant.all.flatMap((resource) => codingsIn(resource)).filter((coding) => TERMINOLOGIES.has(coding.system));
    expect(codings.length).toBeGreaterThan(PATIENTS * 20);
    for (const coding of codings) {
      expect(VETTED.get(`${coding.system}|${coding.code}`), `${coding.system}|${coding.code}`).toBe(coding.display);
      const known = KNOWN_DISPLAYS[coding.code];
      if (known !== undefined) expect(coding.display).toBe(known);
    }
  });

  it('records vital signs in UCUM units, inside physiological limits for the age', () => {
    const observations = ofType('Observation');
    expect(observations.length).toBeGreaterThan(PATIENTS * 15);
    for (const observation of observations) {
      const birth = birthDates.get(patientOf(observation));
      expect(birth).toBeDefined();
      const age = (Date.parse(String(observation['effectiveDateTime'])) - (birth ?? 0)) / YEAR_MS;
      expect(age).toBeGreaterThanOrEqual(0);
      const category = fhirVersion === 'dstu2' ? observation['category'] : (observation['category'] as unknown[])[0];
      expect(category).toEqual({ coding: [{ system: `${SPELLING[fhirVersion].hl7}observation-category`, code: 'vital-signs', display: 'Vital Signs' }] });
      type Measured = { code: { coding: Array<{ code: string }> }; valueQuantity: { value: number; system: string } };
      const measured: Measured[] = observation['component'] ? (observation['component'] as Measured[]) : [observation as unknown as Measured];
      for (const part of measured) {
        const code = part.code.coding[0]?.code ?? '';
        const [min, max] = limitsFor(code, age);
        expect(part.valueQuantity.system).toBe('http://unitsofmeasure.org');
        expect(part.valueQuantity.value, `${observation.id} ${code} at age ${age.toFixed(1)}`).toBeGreaterThanOrEqual(min);
        expect(part.valueQuantity.value, `${observation.id} ${code} at age ${age.toFixed(1)}`).toBeLessThanOrEqual(max);
      }
    }
  });

  it('keeps blood pressure systolic above diastolic and BMI consistent with weight and height', () => {
    for (const batch of tenant.patients) {
      const byTime = new Map<string, Map<string, number>>();
      for (const observation of batch.filter((resource) => resource.resourceType === 'Observation')) {
        const values = byTime.get(String(observation['effectiveDateTime'])) ?? new Map<string, number>();
        byTime.set(String(observation['effectiveDateTime']), values);
        const parts = (observation['component'] as Array<Record<string, unknown>> | undefined) ?? [observation];
        for (const part of parts) {
          const code = (part['code'] as { coding: Array<{ code: string }> }).coding[0]?.code ?? '';
          values.set(code, (part['valueQuantity'] as { value: number }).value);
        }
      }
      for (const values of byTime.values()) {
        expect(values.get('8480-6')).toBeGreaterThan(values.get('8462-4') ?? Infinity);
        const height = values.get('8302-2');
        const weight = values.get('29463-7') ?? 0;
        if (height !== undefined) expect(Math.abs(weight / (height / 100) ** 2 - (values.get('39156-5') ?? 0))).toBeLessThan(0.2);
      }
    }
  });

  it('orders encounters in time without overlaps, each with type, status, period and a located display', () => {
    const locationNames = new Map(ofType('Location').map((location) => [`Location/${location.id}`, location['name']]));
    for (const batch of tenant.patients) {
      const encounters = batch.filter((resource) => resource.resourceType === 'Encounter');
      expect(encounters.length).toBeGreaterThanOrEqual(3);
      let previousEnd = -Infinity;
      encounters.forEach((encounter, index) => {
        const period = encounter['period'] as { start: string; end?: string };
        const start = Date.parse(period.start);
        expect(start).toBeGreaterThan(previousEnd);
        expect(start).toBeGreaterThan(birthDates.get(patientOf(encounter)) ?? Infinity);
        if (period.end === undefined) {
          expect(index).toBe(encounters.length - 1);
          expect(encounter['status']).toBe('in-progress');
        } else {
          expect(Date.parse(period.end)).toBeGreaterThan(start);
          expect(Date.parse(period.end)).toBeLessThanOrEqual(Date.parse('2026-01-01T00:00:00Z'));
          expect(encounter['status']).toBe('finished');
          previousEnd = Date.parse(period.end);
        }
        const type = (encounter['type'] as Array<{ coding: Array<{ display: string }> }>)[0]?.coding[0]?.display;
        expect(type).toBeTruthy();
        const isOfficeVisit = (fhirVersion === 'dstu2' ? encounter['class'] : (encounter['class'] as { code: string }).code) === (fhirVersion === 'dstu2' ? 'ambulatory' : 'AMB');
        if (isOfficeVisit) expect(new Date(start).getUTCHours()).toBeGreaterThanOrEqual(8);
        if (isOfficeVisit) expect(new Date(start).getUTCHours()).toBeLessThan(17);
        const location = (encounter['location'] as Array<{ location: { reference: string; display: string } }>)[0]?.location;
        expect(location?.display).toBe(locationNames.get(location?.reference ?? ''));
      });
    }
  });

  it('never has a condition begin before birth or after it was recorded', () => {
    const conditions = ofType('Condition');
    expect(conditions.length).toBeGreaterThan(PATIENTS);
    for (const condition of conditions) {
      const onset = Date.parse(String(condition['onsetDateTime']));
      const recorded = Date.parse(String(condition[SPELLING[fhirVersion].conditionRecorded]));
      expect(onset).toBeGreaterThanOrEqual(birthDates.get(patientOf(condition)) ?? Infinity);
      expect(onset).toBeLessThanOrEqual(recorded + 24 * 3600 * 1000);
      expect(condition['severity']).toBeDefined();
      const clinicalStatus = fhirVersion === 'r4' ? (condition['clinicalStatus'] as { coding: Array<{ code: string }> }).coding[0]?.code : condition['clinicalStatus'];
      expect(clinicalStatus).toBe(condition['abatementDateTime'] === undefined ? 'active' : 'resolved');
    }
  });

  it('gives every patient something for each search the spec shows', () => {
    const medicationTypes = fhirVersion === 'dstu2' ? ['MedicationOrder'] : ['MedicationRequest', 'MedicationStatement'];
    for (const batch of tenant.patients) {
      const types = new Set(batch.map((resource) => resource.resourceType));
      for (const type of ['Encounter', 'Observation', 'Condition', 'Coverage', ...medicationTypes]) expect(types, `${batch[0]?.id} ${type}`).toContain(type);
    }
  });

  it("renders each version's own shapes", () => {
    const patient = ofType('Patient')[0] ?? {};
    const name = (patient['name'] as Array<{ family: unknown; prefix: string[]; use: string }>)[0];
    const practitioner = ofType('Practitioner')[0] ?? {};
    const coverage = ofType('Coverage')[0] ?? {};
    const encounter = ofType('Encounter')[0] ?? {};
    const types = new Set(tenant.all.map((resource) => resource.resourceType));
    expect(name?.use).toBe('official');
    expect(name?.prefix.length).toBe(1);
    if (fhirVersion === 'dstu2') {
      expect(Array.isArray(name?.family)).toBe(true);
      expect(patient['careProvider']).toBeDefined();
      expect(patient['generalPractitioner']).toBeUndefined();
      expect(Array.isArray(practitioner['name'])).toBe(false);
      expect(coverage).toMatchObject({ issuer: { display: expect.any(String) }, plan: expect.any(String), subscriberId: { value: expect.any(String) } });
      expect(encounter['patient']).toBeDefined();
      expect(typeof encounter['class']).toBe('string');
      expect(types.has('MedicationOrder') && !types.has('MedicationRequest') && !types.has('MedicationStatement')).toBe(true);
    } else {
      expect(typeof name?.family).toBe('string');
      expect(patient['generalPractitioner']).toBeDefined();
      expect(patient['careProvider']).toBeUndefined();
      expect(Array.isArray(practitioner['name'])).toBe(true);
      expect(coverage).toMatchObject({ status: 'active', payor: [{ display: expect.any(String) }], subscriberId: expect.any(String) });
      expect(encounter['subject']).toBeDefined();
      expect(encounter['class']).toMatchObject({ system: `${SPELLING[fhirVersion].hl7}${fhirVersion === 'r4' ? 'v3-ActCode' : 'v3/ActCode'}` });
      expect(!types.has('MedicationOrder') && types.has('MedicationRequest') && types.has('MedicationStatement')).toBe(true);
    }
    if (fhirVersion === 'stu3') {
      expect(coverage).toMatchObject({ grouping: { groupDisplay: expect.any(String), planDisplay: expect.any(String) } });
    }
    if (fhirVersion === 'r4') {
      const coverageClass = (code: string) => ({ type: { coding: [expect.objectContaining({ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code })] }, value: expect.any(String), name: expect.any(String) });
      expect(coverage['class']).toEqual([coverageClass('group'), coverageClass('plan')]);
      expect(coverage['grouping']).toBeUndefined();
      const condition = ofType('Condition')[0] ?? {};
      expect(condition).toMatchObject({
        verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status' }] },
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
        encounter: { reference: expect.stringMatching(/^Encounter\//) },
      });
      expect(condition['context']).toBeUndefined();
      const allergy = ofType('AllergyIntolerance')[0] ?? {};
      expect(allergy).toMatchObject({
        patient: { reference: expect.stringMatching(/^Patient\//) },
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical' }] },
        verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification' }] },
        recordedDate: expect.any(String),
      });
      const request = ofType('MedicationRequest')[0] ?? {};
      expect(request['requester']).toMatchObject({ reference: expect.stringMatching(/^Practitioner\//), display: expect.any(String) });
      expect(ofType('MedicationStatement')[0]?.['taken']).toBeUndefined();
    }
  });

  it('writes US Core race, ethnicity and birth sex on R4 Patients only, drawn from the OMB categories', () => {
    const races = new Set<string>();
    for (const patient of ofType('Patient')) {
      const extensions = (patient['extension'] ?? []) as Array<{ url: string; valueCode?: string; extension?: Array<{ url: string; valueCoding?: { system: string; code: string } }> }>;
      if (fhirVersion !== 'r4') {
        expect(extensions).toEqual([]);
        continue;
      }
      const race = extensions.find((extension) => extension.url === 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race');
      const ethnicity = extensions.find((extension) => extension.url === 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity');
      const birthSex = extensions.find((extension) => extension.url === 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex');
      const omb = (extension: typeof race) => extension?.extension?.find((part) => part.url === 'ombCategory')?.valueCoding;
      expect(omb(race)?.system).toBe('urn:oid:2.16.840.1.113883.6.238');
      expect(['2106-3', '2054-5', '2028-9', '1002-5', '2076-8']).toContain(omb(race)?.code);
      expect(['2135-2', '2186-5']).toContain(omb(ethnicity)?.code);
      expect(birthSex?.valueCode).toBe(patient['gender'] === 'female' ? 'F' : 'M');
      races.add(omb(race)?.code ?? '');
    }
    if (fhirVersion === 'r4') expect(races.size).toBeGreaterThan(2);
  });

  it('identifies every patient by an MRN typed MR in the provider’s namespace, unique in the tenant', () => {
    const mrns = ofType('Patient').map((patient) => {
      const [identifier] = patient['identifier'] as Array<{ type: { coding: Array<{ system: string; code: string }> }; system: string; value: string }>;
      expect(identifier?.type.coding[0]).toMatchObject({ system: `${SPELLING[fhirVersion].hl7}${fhirVersion === 'r4' ? 'v2-0203' : 'v2/0203'}`, code: 'MR' });
      expect(identifier?.system).toBe('https://st-mary-s-general.example.org/fhir/sid/mrn');
      return identifier?.value;
    });
    expect(new Set(mrns).size).toBe(mrns.length);
  });
});
