import { describe, expect, it } from 'vitest';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { copy, r4Condition, r4Patient, searchset, stu3Observation } from './fixtures.js';

const BASE = 'http://localhost:8080/fhir/r4';

function paths(resource: unknown): string[] {
  return validateResource('r4', resource).map((issue) => issue.path);
}

describe('R4 validation against HL7\'s R4 fhir.schema.json', () => {
  it('accepts a US Core Patient with extensions, an R4 Condition and a searchset holding them', () => {
    expect(validateResource('r4', r4Patient)).toEqual([]);
    expect(validateResource('r4', r4Condition)).toEqual([]);
    expect(validateResource('r4', searchset(BASE, [r4Patient, r4Condition]))).toEqual([]);
  });

  it('knows R4 shapes: coded statuses, recordedDate and encounter instead of STU3 assertedDate and context', () => {
    expect(validateResource('r4', { ...r4Condition, clinicalStatus: 'active' })).toEqual([
      { path: 'Condition.clinicalStatus', message: 'expected an object (CodeableConcept), got "active"' },
    ]);
    expect(paths({ ...r4Condition, assertedDate: '2020-05-05', context: { reference: 'Encounter/enc-1' } })).toEqual([
      'Condition.assertedDate',
      'Condition.context',
    ]);
    expect(paths({ resourceType: 'MedicationStatement', status: 'active', taken: 'y', subject: { reference: 'Patient/x' }, medicationCodeableConcept: { text: 'x' } })).toEqual([
      'MedicationStatement.taken',
    ]);
  });

  it('refuses what Medplum adds to its copy of the schema: Meta.project and Medplum resource types', () => {
    expect(validateResource('r4', { ...r4Patient, meta: { project: 'p1' } })).toEqual([
      { path: 'Patient.meta.project', message: 'unknown element "project": Meta has no such element in FHIR R4' },
    ]);
    expect(paths({ resourceType: 'Bot', id: 'b' })).toEqual(['resourceType']);
    expect(paths({ resourceType: 'OperationOutcome', status: 'ok', issue: [{ severity: 'error', code: 'deleted' }] })).toEqual(['OperationOutcome.status']);
  });

  it('has R4\'s code lists: 4.0.1 as a FHIR version, `deleted` as an issue type, R4 Encounter statuses', () => {
    expect(paths({ resourceType: 'CapabilityStatement', status: 'active', date: '2026-01-01', kind: 'instance', fhirVersion: '4.0.1', format: ['json'] })).toEqual([]);
    expect(paths({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'deleted' }] })).toEqual([]);
    expect(paths({ resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' } })).toEqual([]);
    expect(paths({ resourceType: 'Encounter', status: 'done', class: { code: 'AMB' } })).toEqual(['Encounter.status']);
  });

  it('requires what R4 requires: Observation.code, Condition.subject, Encounter.class, Coverage.beneficiary and payor', () => {
    const { code: _code, ...noCode } = copy(stu3Observation);
    expect(paths(noCode)).toEqual(['Observation.code']);
    const { subject: _subject, ...noSubject } = copy(r4Condition);
    expect(paths(noSubject)).toEqual(['Condition.subject']);
    expect(paths({ resourceType: 'Encounter', status: 'finished' })).toEqual(['Encounter.class']);
    expect(paths({ resourceType: 'Coverage', status: 'active' }).sort()).toEqual(['Coverage.beneficiary', 'Coverage.payor']);
  });

  it('leaves Narrative.div unchecked as the R4 schema does, and checks the narrative status', () => {
    expect(paths({ ...r4Patient, text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Ruth</div>' } })).toEqual([]);
    expect(paths({ ...r4Patient, text: { status: 'written', div: '<div/>' } })).toEqual(['Patient.text.status']);
  });

  it('knows every resource type the sandbox serves over R4, and not DSTU2 MedicationOrder', () => {
    const served = ['Patient', 'Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'MedicationRequest',
      'MedicationStatement', 'Coverage', 'Location', 'Practitioner', 'Organization', 'Bundle', 'OperationOutcome', 'CapabilityStatement'];
    for (const resourceType of served) expect(paths({ resourceType }).filter((path) => path === 'resourceType'), resourceType).toEqual([]);
    expect(validateResource('r4', { resourceType: 'MedicationOrder' })).toEqual([
      { path: 'resourceType', message: '"MedicationOrder" is not a resource type of FHIR R4' },
    ]);
  });
});
