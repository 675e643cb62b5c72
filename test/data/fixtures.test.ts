import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/fhir/types.js';
import { FixtureError } from '../../src/data/errors.js';
import { loadFixtures } from '../../src/data/fixtures/loadFixtures.js';
import { defaultFixtures, generateTenant, tenantOptions } from './generatedTenant.js';

const dstu2 = generateTenant(tenantOptions('dstu2', { patientCount: 2, fixtures: defaultFixtures }));
const stu3 = generateTenant(tenantOptions('stu3', { patientCount: 2, fixtures: defaultFixtures }));

function recordOf(tenant: { patients: Resource[][] }, id: string): Resource[] {
  return tenant.patients.find((batch) => batch[0]?.id === id) ?? [];
}

function mrnOf(patient: Resource | undefined): unknown {
  const identifiers = (patient?.['identifier'] ?? []) as Array<{ type?: { coding?: Array<{ code?: string }> }; value?: string }>;
  return identifiers.find((identifier) => identifier.type?.coding?.[0]?.code === 'MR')?.value;
}

describe("the spec's example patients", () => {
  it('ship as three fixtures', () => {
    expect(defaultFixtures.map((fixture) => fixture.id).sort()).toEqual(['daniel-adams', 'hugh-chau', 'ruth-black']);
  });

  it('Ruth C. Black: STU3 only, female, born 1951-08-23, MRN 1234567', () => {
    const [patient] = recordOf(stu3, 'ruth-black');
    expect(patient).toMatchObject({
      resourceType: 'Patient',
      id: 'ruth-black',
      gender: 'female',
      birthDate: '1951-08-23',
      name: [{ use: 'official', family: 'Black', given: ['Ruth', 'C.'] }],
    });
    expect(mrnOf(patient)).toBe('1234567');
    expect(recordOf(dstu2, 'ruth-black')).toEqual([]);
  });

  it('Hugh Chau: DSTU2 only, male, born 1957-06-05, prefix Mr, GP "Jane Doe"', () => {
    const [patient] = recordOf(dstu2, 'hugh-chau');
    expect(patient).toMatchObject({
      id: 'hugh-chau',
      gender: 'male',
      birthDate: '1957-06-05',
      name: [{ use: 'official', family: ['Chau'], given: ['Hugh'], prefix: ['Mr'] }],
      careProvider: [{ reference: 'Practitioner/prac-jane-doe', display: 'Jane Doe' }],
    });
    expect(dstu2.shared.find((resource) => resource.id === 'prac-jane-doe')).toMatchObject({
      resourceType: 'Practitioner',
      name: { family: ['Doe'], given: ['Jane'] },
    });
    expect(recordOf(stu3, 'hugh-chau')).toEqual([]);
  });

  it('Daniel X. Adams: both versions, male, born 1925-12-23', () => {
    for (const [tenant, family] of [[dstu2, ['Adams']], [stu3, 'Adams']] as const) {
      const [patient] = recordOf(tenant, 'daniel-adams');
      expect(patient).toMatchObject({ id: 'daniel-adams', gender: 'male', birthDate: '1925-12-23', name: [{ family, given: ['Daniel', 'X.'] }] });
    }
    expect(mrnOf(recordOf(dstu2, 'daniel-adams')[0])).toBe(mrnOf(recordOf(stu3, 'daniel-adams')[0]));
  });

  it('have full clinical stories, so every search of the spec finds something', () => {
    const expectations: Array<[Resource[], string[]]> = [
      [recordOf(stu3, 'ruth-black'), ['MedicationRequest', 'MedicationStatement']],
      [recordOf(stu3, 'daniel-adams'), ['MedicationRequest', 'MedicationStatement']],
      [recordOf(dstu2, 'hugh-chau'), ['MedicationOrder']],
      [recordOf(dstu2, 'daniel-adams'), ['MedicationOrder']],
    ];
    for (const [record, medicationTypes] of expectations) {
      const types = record.map((resource) => resource.resourceType);
      for (const type of ['Encounter', 'Condition', 'AllergyIntolerance', 'Coverage', ...medicationTypes]) expect(types).toContain(type);
      const vitals = record.filter((resource) => resource.resourceType === 'Observation');
      expect(vitals.length).toBeGreaterThanOrEqual(15);
      const encounters = record.filter((resource) => resource.resourceType === 'Encounter');
      const last = encounters[encounters.length - 1] as Resource;
      expect((last['location'] as Array<{ location: { display: string } }>)[0]?.location.display).toBeTruthy();
    }
  });

  it('keep the conditions and allergies their files pin', () => {
    const codes = (record: Resource[], type: string, field: string): string[] =>
      record
        .filter((resource) => resource.resourceType === type)
        .map((resource) => (resource[field] as { coding: Array<{ code: string }> }).coding[0]?.code ?? '');
    expect(codes(recordOf(stu3, 'ruth-black'), 'Condition', 'code')).toEqual(['59621000', '55822004', '396275006']);
    expect(codes(recordOf(stu3, 'ruth-black'), 'AllergyIntolerance', 'code')).toEqual(['7980']);
    expect(codes(recordOf(dstu2, 'hugh-chau'), 'Condition', 'code')).toEqual(['44054006', '59621000']);
  });

  it('keep fixed ids for every resource of theirs', () => {
    for (const resource of recordOf(stu3, 'ruth-black').slice(1)) expect(resource.id).toMatch(/^[a-z]+-ruth-black-\d{3}$/);
  });
});

describe('loadFixtures', () => {
  const directory = mkdtempSync(join(tmpdir(), 'fixtures-'));
  const write = (name: string, content: unknown): string => {
    const path = join(directory, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const valid = { id: 'ada-lovelace', name: { given: ['Ada'], family: 'Lovelace' }, gender: 'female', birthDate: '1815-12-10' };

  function failure(paths: string[]): FixtureError {
    try {
      loadFixtures(paths);
    } catch (error) {
      if (error instanceof FixtureError) return error;
      throw error;
    }
    throw new Error('loadFixtures accepted invalid input');
  }

  it('accepts a file holding one patient or a list of them', () => {
    const one = write('one.json', valid);
    const list = write('list.json', [{ ...valid, id: 'grace-hopper', birthDate: '1906-12-09' }]);
    expect(loadFixtures([one, list]).map((fixture) => fixture.id)).toEqual(['ada-lovelace', 'grace-hopper']);
  });

  it('names the file and the field that is wrong', () => {
    const path = write('bad-date.json', { ...valid, birthDate: '10/12/1815' });
    const error = failure([path]);
    expect(error.code).toBe('FIXTURE_INVALID');
    expect(error.file).toBe(path);
    expect(error.field).toBe('birthDate');
    expect(error.message).toContain(path);
    expect(failure([write('bad-given.json', { ...valid, name: { given: [''], family: 'X' } })]).field).toBe('name.given.0');
    expect(failure([write('bad-version.json', { ...valid, fhirVersions: ['r5'] })]).field).toBe('fhirVersions.0');
    expect(failure([write('extra.json', { ...valid, nickname: 'Ada' })]).message).toContain('nickname');
    expect(failure([write('list-bad.json', [valid, { ...valid, id: 'x', gender: 'unknown' }])]).field).toBe('1.gender');
  });

  it('refuses codes outside the vetted tables, generated-looking ids, duplicates and broken JSON', () => {
    expect(failure([write('code.json', { ...valid, conditions: ['123456'] })]).field).toBe('conditions.0');
    expect(failure([write('id.json', { ...valid, id: 'pat-000001' })]).field).toBe('id');
    const first = write('first.json', { ...valid, mrn: '42' });
    expect(failure([first, write('second.json', { ...valid, id: 'other', mrn: '42' })]).field).toBe('mrn');
    expect(failure([first, write('third.json', valid)]).field).toBe('id');
    expect(failure([write('broken.json', '{ "id": ')]).field).toBe('');
    expect(failure([join(directory, 'missing.json')]).message).toContain('cannot be read');
  });

  it('lets fixtures share a GP only if they describe the same person', () => {
    const gp = { id: 'prac-jane-doe', given: ['Jane'], family: 'Doe', gender: 'female' };
    const first = write('gp-1.json', { ...valid, id: 'p1', generalPractitioner: gp });
    expect(loadFixtures([first, write('gp-2.json', { ...valid, id: 'p2', generalPractitioner: gp })])).toHaveLength(2);
    const clash = write('gp-3.json', { ...valid, id: 'p3', generalPractitioner: { ...gp, family: 'Roe' } });
    expect(failure([first, clash]).field).toBe('generalPractitioner.id');
    expect(failure([write('gp-4.json', { ...valid, generalPractitioner: { ...gp, id: 'prac-001' } })]).field).toBe('generalPractitioner.id');
  });
});
