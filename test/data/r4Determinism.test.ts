import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/fhir/types.js';
import { generateTenantData } from '../../src/data/generateTenantData.js';
import { generateTenantResources } from '../../src/data/generateTenantResources.js';
import type { TenantDataOptions } from '../../src/data/tenantDataOptions.js';
import { defaultFixtures, tenantOptions } from './generatedTenant.js';

function tenantHash(options: TenantDataOptions): string {
  const hash = createHash('sha256');
  for (const batch of generateTenantResources(options)) for (const resource of batch) hash.update(JSON.stringify(resource)).update('\n');
  return hash.digest('hex');
}

describe('R4 determinism', () => {
  it('gives the same bytes for the same seed and tenant, on every machine (pinned; update only for intended changes)', () => {
    const options = tenantOptions('r4', { patientCount: 5, fixtures: defaultFixtures });
    expect(tenantHash(options)).toBe(tenantHash(options));
    expect(tenantHash(options)).toMatchInlineSnapshot(`"48b6d14f5720e39e3ef23a7984ae4cd0728169dba375a5cdb49b792995698899"`);
  });

  it('tells the same story as STU3: same patients, MRNs, encounter dates and vital-sign values', () => {
    const stu3 = generateTenantData(tenantOptions('stu3', { patientCount: 10 }));
    const r4 = generateTenantData(tenantOptions('r4', { patientCount: 10 }));
    const patients = (resources: Resource[] = []) => resources.map((patient) => [patient.id, patient['birthDate'], patient['gender'], (patient['identifier'] as Array<{ value: string }>)[0]?.value]);
    expect(patients(r4['Patient'])).toEqual(patients(stu3['Patient']));
    const starts = (encounters: Resource[] = []) => encounters.map((encounter) => (encounter['period'] as { start: string }).start);
    expect(starts(r4['Encounter'])).toEqual(starts(stu3['Encounter']));
    const values = (observations: Resource[] = []) => observations.map((observation) => JSON.stringify(observation['valueQuantity'] ?? observation['component']));
    expect(values(r4['Observation'])).toEqual(values(stu3['Observation']));
  });
});
