import { describe, expect, it } from 'vitest';
import { FHIR_VERSIONS } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { defaultFixturePaths } from '../../src/data/fixtures/defaultFixturePaths.js';
import { loadFixtures } from '../../src/data/fixtures/loadFixtures.js';
import { generateTenantResources } from '../../src/data/generateTenantResources.js';

const fixtures = loadFixtures(defaultFixturePaths());

describe.each(FHIR_VERSIONS)('every generated %s resource validates against the official definitions', (fhirVersion) => {
  it('shared resources, fixtures and 60 generated patients', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const batch of generateTenantResources({ seed: 7, tenantId: 'validation', providerName: 'Validation General', fhirVersion, patientCount: 60, fixtures })) {
      for (const resource of batch) {
        checked++;
        for (const issue of validateResource(fhirVersion, resource)) problems.push(`${resource.resourceType}/${resource.id} ${issue.path}: ${issue.message}`);
      }
    }
    expect(checked).toBeGreaterThan(1500);
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('differs from the other version where the versions differ (the validator is not blind to it)', () => {
    const other = fhirVersion === 'dstu2' ? 'stu3' : 'dstu2';
    const [, [patient] = []] = [...generateTenantResources({ seed: 7, tenantId: 'validation', providerName: 'Validation General', fhirVersion, patientCount: 1 })];
    expect(validateResource(fhirVersion, patient)).toEqual([]);
    expect(validateResource(other, patient).length).toBeGreaterThan(0);
  });
});
