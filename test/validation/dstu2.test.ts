import { describe, expect, it } from 'vitest';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { copy, dstu2Observation, dstu2Patient, searchset } from './fixtures.js';

const BASE = 'http://localhost:8080/fhir/dstu2';

function paths(resource: unknown): string[] {
  return validateResource('dstu2', resource).map((issue) => issue.path);
}

describe('DSTU2 validation against the schema generated from the HL7 DSTU2 XSD', () => {
  it('accepts a hand-written Patient, vital-sign Observation and searchset Bundle', () => {
    expect(validateResource('dstu2', dstu2Patient)).toEqual([]);
    expect(validateResource('dstu2', dstu2Observation)).toEqual([]);
    expect(validateResource('dstu2', searchset(BASE, [dstu2Patient, dstu2Observation]))).toEqual([]);
  });

  it('names the field when birthDate has the wrong JSON type or format', () => {
    expect(validateResource('dstu2', { ...dstu2Patient, birthDate: true })).toEqual([
      { path: 'Patient.birthDate', message: 'expected a string, got boolean true' },
    ]);
    expect(paths({ ...dstu2Patient, birthDate: '05/06/1957' })).toEqual(['Patient.birthDate']);
  });

  it('rejects the STU3-only generalPractitioner on a DSTU2 Patient', () => {
    expect(validateResource('dstu2', { ...dstu2Patient, generalPractitioner: [{ display: 'Jane Doe' }] })).toEqual([
      {
        path: 'Patient.generalPractitioner',
        message: 'unknown element "generalPractitioner": Patient has no such element in FHIR DSTU2',
      },
    ]);
  });

  it('knows DSTU2 shapes: HumanName.family repeats, Observation.category does not', () => {
    expect(paths({ ...dstu2Patient, name: [{ family: 'Chau' }] })).toEqual(['Patient.name[0].family']);
    expect(paths({ ...dstu2Observation, category: [{ text: 'vital-signs' }] })).toEqual(['Observation.category']);
  });

  it('reports missing required elements, primitive ones included (Observation.status and code)', () => {
    const { status: _status, code: _code, ...observation } = copy(dstu2Observation);
    expect(validateResource('dstu2', observation)).toEqual([
      { path: 'Observation.status', message: 'missing required element "status" of Observation' },
      { path: 'Observation.code', message: 'missing required element "code" of Observation' },
    ]);
  });

  it('lets an extension stand in for a required primitive value', () => {
    const { status: _status, ...observation } = copy(dstu2Observation);
    const withExtension = { ...observation, _status: { extension: [{ url: 'http://example.org/why-no-status', valueCode: 'unknown' }] } };
    expect(validateResource('dstu2', withExtension)).toEqual([]);
  });

  it('requires Extension.url, an XML attribute in the XSD', () => {
    const patient = { ...copy(dstu2Patient), extension: [{ valueString: 'x' }] };
    expect(paths(patient)).toEqual(['Patient.extension[0].url']);
  });

  it('accepts fhir_comments, which the DSTU2 JSON format allows on any element', () => {
    expect(validateResource('dstu2', { ...dstu2Patient, fhir_comments: ['imported'], name: [{ fhir_comments: ['x'], given: ['Hugh'] }] })).toEqual([]);
  });

  it('checks required codes and integer primitives', () => {
    expect(paths({ ...dstu2Observation, status: 'done' })).toEqual(['Observation.status']);
    expect(paths({ ...dstu2Patient, multipleBirthInteger: 1.5 })).toEqual(['Patient.multipleBirthInteger']);
  });

  it('validates Bundle entries and contained resources with paths into them', () => {
    const bundle = searchset(BASE, [
      dstu2Patient,
      { ...dstu2Patient, contained: [{ resourceType: 'Practitioner', id: 'gp', name: [{ text: 1 }] }] },
      { resourceType: 'MedicationRequest', id: 'stu3-only' },
    ]);
    expect(paths(bundle)).toEqual([
      'Bundle.entry[1].resource.contained[0].name',
      'Bundle.entry[2].resource.resourceType',
    ]);
  });

  it('checks bdl-6 in every Bundle, nested ones included: fullUrl exactly when a resource is present', () => {
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing' }] };
    const inner = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: outcome, search: { mode: 'outcome' } }] };
    const response = {
      resourceType: 'Bundle',
      type: 'batch-response',
      entry: [
        { resource: inner, response: { status: '200 OK' } },
        { fullUrl: 'urn:uuid:5a8a4c6e-3f4a-5b2c-9d1e-0f1a2b3c4d5e', response: { status: '204 No Content' } },
        { fullUrl: 'urn:uuid:6b9b5d7f-4a5b-5c3d-8e2f-1a2b3c4d5e6f', resource: outcome, response: { status: '404 Not Found' } },
      ],
    };
    expect(validateResource('dstu2', response)).toEqual([
      { path: 'Bundle.entry[0]', message: 'bdl-6: fullUrl must be present when a resource is present, and not present otherwise' },
      { path: 'Bundle.entry[0].resource.entry[0]', message: 'bdl-6: fullUrl must be present when a resource is present, and not present otherwise' },
      { path: 'Bundle.entry[1]', message: 'bdl-6: fullUrl must be present when a resource is present, and not present otherwise' },
    ]);
  });

  it('knows every resource type the sandbox serves over DSTU2', () => {
    const served = ['Patient', 'Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'MedicationOrder',
      'Coverage', 'Location', 'Practitioner', 'Bundle', 'OperationOutcome', 'Conformance'];
    for (const resourceType of served) {
      expect(paths({ resourceType }).filter((path) => path === 'resourceType')).toEqual([]);
    }
  });
});
