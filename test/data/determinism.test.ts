import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/fhir/types.js';
import { generateTenantData } from '../../src/data/generateTenantData.js';
import { generateTenantResources } from '../../src/data/generateTenantResources.js';
import type { TenantDataOptions } from '../../src/data/tenantDataOptions.js';
import { defaultFixtures, tenantOptions } from './generatedTenant.js';

function sha256(batches: Iterable<Resource[]>): string {
  const hash = createHash('sha256');
  for (const batch of batches) for (const resource of batch) hash.update(JSON.stringify(resource)).update('\n');
  return hash.digest('hex');
}

function tenantHash(options: TenantDataOptions): string {
  return sha256(generateTenantResources(options));
}

/** Patient batches only: the shared batch legitimately changes when fixtures add their GP. */
function patientBatches(options: TenantDataOptions): Resource[][] {
  return [...generateTenantResources(options)].slice(1);
}

describe('determinism', () => {
  it('gives the same bytes for the same seed and tenant, run after run', () => {
    const options = tenantOptions('stu3', { fixtures: defaultFixtures });
    expect(tenantHash(options)).toBe(tenantHash(options));
    expect(tenantHash(tenantOptions('dstu2'))).toBe(tenantHash(tenantOptions('dstu2')));
  });

  it('gives the same bytes on every machine (pinned hashes; update them only for intended changes)', () => {
    const small = (fhirVersion: 'dstu2' | 'stu3'): string =>
      tenantHash(tenantOptions(fhirVersion, { patientCount: 5, fixtures: defaultFixtures }));
    expect({ dstu2: small('dstu2'), stu3: small('stu3') }).toMatchInlineSnapshot(`
      {
        "dstu2": "2945028bb7b4f936a74fd5e7cb62f05090342e194fed78f21ec0a6be4c5c5705",
        "stu3": "1bfd3518f31842375b66b4c90fa99da19f16c97d4a092717d4dc3753764a2751",
      }
    `);
  });

  it('differs between seeds and between tenants', () => {
    const base = tenantHash(tenantOptions('stu3'));
    expect(tenantHash(tenantOptions('stu3', { seed: 20260102 }))).not.toBe(base);
    expect(tenantHash(tenantOptions('stu3', { tenantId: '7a1c9d42-2e3f-4b5a-8c6d-1e2f3a4b5c60' }))).not.toBe(base);
  });

  it("does not change when another tenant is added or its patient count changes", () => {
    const options = tenantOptions('stu3');
    const alone = tenantHash(options);
    const other = tenantOptions('stu3', { tenantId: 'other-tenant', patientCount: 7 });
    const interleaved = createHash('sha256');
    // Generate the two tenants interleaved, with the other one at two sizes, as a profile load might.
    const mine = generateTenantResources(options);
    const theirs = [generateTenantResources(other), generateTenantResources({ ...other, patientCount: 70 })];
    for (const batch of mine) {
      for (const generator of theirs) generator.next();
      for (const resource of batch) interleaved.update(JSON.stringify(resource)).update('\n');
    }
    expect(interleaved.digest('hex')).toBe(alone);
  });

  it('keeps the first N patients identical when a tenant grows to M', () => {
    const small = [...generateTenantResources(tenantOptions('dstu2', { patientCount: 12, fixtures: defaultFixtures }))];
    const large = [...generateTenantResources(tenantOptions('dstu2', { patientCount: 60, fixtures: defaultFixtures }))];
    expect(sha256(large.slice(0, small.length))).toBe(sha256(small));
  });

  it('keeps generated patients identical with or without fixtures', () => {
    const withoutFixtures = patientBatches(tenantOptions('dstu2', { patientCount: 10 }));
    const withFixtures = patientBatches(tenantOptions('dstu2', { patientCount: 10, fixtures: defaultFixtures }));
    const dstu2FixtureCount = defaultFixtures.filter((fixture) => fixture.fhirVersions?.includes('dstu2') ?? true).length;
    expect(sha256(withFixtures.slice(dstu2FixtureCount))).toBe(sha256(withoutFixtures));
  });

  it('tells one story in both versions: same patients, same MRNs, same dates', () => {
    const dstu2 = generateTenantData(tenantOptions('dstu2', { patientCount: 10 }));
    const stu3 = generateTenantData(tenantOptions('stu3', { patientCount: 10 }));
    const summary = (patients: Resource[] = []): unknown[] =>
      patients.map((patient) => [patient.id, patient['birthDate'], patient['gender'], JSON.stringify(patient['identifier'])]);
    expect(summary(dstu2['Patient'])).toEqual(summary(stu3['Patient']));
    const starts = (encounters: Resource[] = []): unknown[] => encounters.map((encounter) => (encounter['period'] as { start: string }).start);
    expect(starts(dstu2['Encounter'])).toEqual(starts(stu3['Encounter']));
  });

  it('moves with the reference date instead of the clock', () => {
    const early = generateTenantData(tenantOptions('stu3', { patientCount: 3, referenceDate: '2020-06-01' }));
    const lastUpdated = new Set(Object.values(early).flat().map((resource) => resource.meta?.lastUpdated));
    expect([...lastUpdated]).toEqual(['2020-06-01T00:00:00Z']);
    for (const encounter of early['Encounter'] ?? []) {
      expect((encounter['period'] as { start: string }).start < '2020-06-01').toBe(true);
    }
  });
});
