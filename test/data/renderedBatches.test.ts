import { describe, expect, it } from 'vitest';
import { generateTenantDataset } from '../../src/data/generateTenantResources.js';
import { FHIR_VERSIONS } from '../../src/fhir/types.js';
import { defaultFixtures, tenantOptions } from './generatedTenant.js';

describe.each(FHIR_VERSIONS)('a %s dataset generated for one seeding worker', (fhirVersion) => {
  const options = tenantOptions(fhirVersion, { patientCount: 40, fixtures: defaultFixtures });
  const everything = [...generateTenantDataset(options)];

  it.each([
    ['every other block of 4 batches', (batch: number) => Math.floor(batch / 4) % 2 === 0],
    ['the other blocks', (batch: number) => Math.floor(batch / 4) % 2 === 1],
    ['nothing but the directory and the Groups', (batch: number) => batch === 0 || batch === everything.length - 1],
    ['nothing', () => false],
  ])('renders %s exactly as the whole dataset has them, and the others empty', (_, rendered) => {
    const share = [...generateTenantDataset(options, rendered)];
    expect(share.length).toBe(everything.length);
    share.forEach((resources, batch) => {
      expect(JSON.stringify(resources), `batch ${batch}`).toBe(rendered(batch) ? JSON.stringify(everything[batch]) : '[]');
    });
  });

  it('lists every patient in the Groups even when their batches are not rendered', () => {
    const last = everything.length - 1;
    const groupsOnly = [...generateTenantDataset(options, (batch) => batch === last)];
    expect(JSON.stringify(groupsOnly[last])).toBe(JSON.stringify(everything[last]));
    expect(everything[last]?.length).toBeGreaterThan(0);
  });
});
