import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateTenantDataset, generateTenantResources } from '../../src/data/generateTenantResources.js';
import { FHIR_VERSIONS, type Resource } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { defaultFixtures, tenantOptions } from './generatedTenant.js';

interface GroupJson extends Resource {
  name: string;
  quantity: number;
  member?: Array<{ entity: { reference: string } }>;
}

/** A patient's GP, read the obvious way from the rendered Patient (careProvider in DSTU2). */
function generalPractitionerOf(patient: Resource): string {
  const references = (patient['generalPractitioner'] ?? patient['careProvider']) as Array<{ reference: string }>;
  return (references[0] as { reference: string }).reference;
}

describe.each(FHIR_VERSIONS)('care-team Groups of a generated %s tenant', (fhirVersion) => {
  const options = tenantOptions(fhirVersion, { patientCount: 60, fixtures: defaultFixtures });
  const dataset = [...generateTenantDataset(options)];
  const groups = (dataset[dataset.length - 1] ?? []) as GroupJson[];
  const patients = dataset.flat().filter((resource) => resource.resourceType === 'Patient');

  it('come after every other record, which keep their exact bytes', () => {
    const before = [...generateTenantResources(options)];
    expect(dataset.length).toBe(before.length + 1);
    expect(JSON.stringify(dataset.slice(0, -1))).toBe(JSON.stringify(before));
    expect(groups.length).toBeGreaterThanOrEqual(10);
    expect(new Set(groups.map((group) => group.resourceType))).toEqual(new Set(['Group']));
  });

  it('validate against the official definitions', () => {
    for (const group of groups) expect(validateResource(fhirVersion, group), group.id).toEqual([]);
  });

  it("list exactly each general practitioner's patients, every patient in one panel", () => {
    const byPractitioner = new Map<string, string[]>();
    for (const patient of patients) {
      const gp = generalPractitionerOf(patient);
      byPractitioner.set(gp, [...(byPractitioner.get(gp) ?? []), `Patient/${patient.id}`]);
    }
    const listed = groups.flatMap((group) => (group.member ?? []).map((member) => member.entity.reference));
    expect(listed.sort()).toEqual(patients.map((patient) => `Patient/${patient.id}`).sort());
    for (const group of groups) {
      const practitionerId = (group.id as string).replace(/^panel-/, '');
      const members = (group.member ?? []).map((member) => member.entity.reference);
      expect(members, group.id).toEqual(byPractitioner.get(`Practitioner/${practitionerId}`) ?? []);
      expect(group.quantity).toBe(members.length);
    }
  });

  it('are the same for the same seed and are named after their practitioner', () => {
    const again = [...generateTenantDataset(options)].at(-1);
    expect(JSON.stringify(again)).toBe(JSON.stringify(groups));
    expect(groups[0]?.name).toMatch(/^Patients of Dr /);
  });
});

describe('care-team Groups', () => {
  it("include a fixture GP's panel (Hugh Chau's Dr Jane Doe, DSTU2)", () => {
    const groups = [...generateTenantDataset(tenantOptions('dstu2', { patientCount: 3, fixtures: defaultFixtures }))].at(-1) as GroupJson[];
    const janeDoe = groups.find((group) => group.id === 'panel-prac-jane-doe');
    expect(janeDoe?.member?.map((member) => member.entity.reference)).toEqual(['Patient/hugh-chau']);
  });

  it('give the same bytes on every machine (pinned hashes; update them only for intended changes)', () => {
    const hash = (fhirVersion: 'dstu2' | 'stu3'): string => {
      const groups = [...generateTenantDataset(tenantOptions(fhirVersion, { patientCount: 5, fixtures: defaultFixtures }))].at(-1);
      return createHash('sha256').update(JSON.stringify(groups)).digest('hex');
    };
    expect({ dstu2: hash('dstu2'), stu3: hash('stu3') }).toMatchInlineSnapshot(`
      {
        "dstu2": "f00d4c7c926bb41ae4fa76d4e8b779f6aeec2502051347880b282c1d8fd56ef9",
        "stu3": "46017dc051e29788703ca627b8852c307431f2451e3238599d638da59d761807",
      }
    `);
  });
});
