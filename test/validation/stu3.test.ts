import { describe, expect, it } from 'vitest';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { copy, searchset, stu3Observation, stu3Patient } from './fixtures.js';

const BASE = 'http://localhost:8080/fhir/stu3';

function paths(resource: unknown): string[] {
  return validateResource('stu3', resource).map((issue) => issue.path);
}

describe('STU3 validation against the HL7 fhir.schema.json', () => {
  it('accepts a hand-written Patient, vital-sign Observation and searchset Bundle', () => {
    expect(validateResource('stu3', stu3Patient)).toEqual([]);
    expect(validateResource('stu3', stu3Observation)).toEqual([]);
    expect(validateResource('stu3', searchset(BASE, [stu3Patient, stu3Observation]))).toEqual([]);
  });

  it('names the field when birthDate has the wrong JSON type', () => {
    const patient = { ...copy(stu3Patient), birthDate: 19510823 };
    expect(validateResource('stu3', patient)).toEqual([
      { path: 'Patient.birthDate', message: 'expected a string, got number 19510823' },
    ]);
  });

  it('checks the whole value against the FHIR date format', () => {
    expect(paths({ ...stu3Patient, birthDate: '1951-13-23' })).toEqual(['Patient.birthDate']);
    expect(paths({ ...stu3Patient, birthDate: 'born 1951-08-23' })).toEqual(['Patient.birthDate']);
    expect(paths({ ...stu3Patient, birthDate: '1951' })).toEqual([]);
  });

  it('rejects an unknown property', () => {
    const [issue] = validateResource('stu3', { ...stu3Patient, favouriteColour: 'blue' });
    expect(issue?.path).toBe('Patient.favouriteColour');
    expect(issue?.message).toMatch(/unknown element "favouriteColour"/);
  });

  it('rejects the DSTU2-only careProvider on an STU3 Patient', () => {
    const [issue, ...rest] = validateResource('stu3', { ...stu3Patient, careProvider: [{ display: 'Jane Doe' }] });
    expect(rest).toEqual([]);
    expect(issue).toEqual({
      path: 'Patient.careProvider',
      message: 'unknown element "careProvider": Patient has no such element in FHIR STU3',
    });
  });

  it('reports a missing required element (Observation.code)', () => {
    const { code: _code, ...observation } = copy(stu3Observation);
    expect(validateResource('stu3', observation)).toEqual([
      { path: 'Observation.code', message: 'missing required element "code" of Observation' },
    ]);
  });

  it('checks required codes and nested datatypes', () => {
    const observation = copy(stu3Observation);
    observation.status = 'done';
    observation.component = [{ code: { text: 'x' }, valueQuantity: { value: '120' } }];
    expect(paths(observation)).toEqual(['Observation.status', 'Observation.component[0].valueQuantity.value']);
  });

  it('requires arrays where FHIR repeats and single values where it does not', () => {
    expect(paths({ ...stu3Patient, name: { family: 'Black' } })).toEqual(['Patient.name']);
    expect(paths({ ...stu3Patient, gender: ['female'] })).toEqual(['Patient.gender']);
  });

  it('accepts extensions on primitives, with nulls keeping repeated values aligned', () => {
    const patient = copy(stu3Patient);
    patient._gender = { extension: [{ url: 'http://example.org/gender-source', valueString: 'self' }] };
    patient.name = [{ family: 'Black', given: ['Ruth', 'C.'], _given: [null, { id: 'middle-initial' }] }];
    expect(validateResource('stu3', patient)).toEqual([]);
  });

  it('validates Bundle entries as resources of their own type, with paths into them', () => {
    const bundle = searchset(BASE, [stu3Patient, { ...stu3Observation, status: 'done' }, { ...stu3Patient, careProvider: [] }]);
    expect(paths(bundle)).toEqual(['Bundle.entry[1].resource.status', 'Bundle.entry[2].resource.careProvider']);
  });

  it('validates contained resources', () => {
    const observation = { ...copy(stu3Observation), contained: [{ resourceType: 'Patient', id: 'p', birthDate: 1951 }] };
    expect(paths(observation)).toEqual(['Observation.contained[0].birthDate']);
  });

  it('refuses resource types that are not STU3 ones, such as DSTU2 MedicationOrder', () => {
    expect(validateResource('stu3', searchset(BASE, [{ resourceType: 'MedicationOrder', id: 'm' }]))).toEqual([
      { path: 'Bundle.entry[0].resource.resourceType', message: '"MedicationOrder" is not a resource type of FHIR STU3' },
    ]);
    expect(paths({ resourceType: 'DomainResource' })).toEqual(['resourceType']);
  });

  it('says what is wrong with something that is not a resource', () => {
    expect(validateResource('stu3', 'Patient')).toEqual([
      { path: '', message: 'expected a resource (an object with resourceType), got "Patient"' },
    ]);
    expect(paths({ id: 'x' })).toEqual(['resourceType']);
    expect(paths(null)).toEqual(['']);
  });

  it('knows every resource type the sandbox serves over STU3', () => {
    const served = ['Patient', 'Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'MedicationRequest',
      'MedicationStatement', 'Coverage', 'Location', 'Practitioner', 'Bundle', 'OperationOutcome', 'CapabilityStatement'];
    for (const resourceType of served) {
      expect(paths({ resourceType }).filter((path) => path === 'resourceType')).toEqual([]);
    }
  });
});
