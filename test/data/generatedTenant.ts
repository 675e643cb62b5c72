import type { FhirVersion, Resource } from '../../src/fhir/types.js';
import { defaultFixturePaths } from '../../src/data/fixtures/defaultFixturePaths.js';
import { loadFixtures } from '../../src/data/fixtures/loadFixtures.js';
import { generateTenantResources } from '../../src/data/generateTenantResources.js';
import type { TenantDataOptions } from '../../src/data/tenantDataOptions.js';

/** A generated tenant split the way tests look at it: the shared batch, then one batch per patient. */
export interface GeneratedTenant {
  shared: Resource[];
  patients: Resource[][];
  all: Resource[];
}

export const defaultFixtures = loadFixtures(defaultFixturePaths());

export function tenantOptions(fhirVersion: FhirVersion, overrides: Partial<TenantDataOptions> = {}): TenantDataOptions {
  return {
    seed: 20260101,
    tenantId: '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50',
    providerName: "St. Mary's General",
    fhirVersion,
    patientCount: 40,
    ...overrides,
  };
}

export function generateTenant(options: TenantDataOptions): GeneratedTenant {
  const [shared = [], ...patients] = [...generateTenantResources(options)];
  return { shared, patients, all: [shared, ...patients].flat() };
}

/** Every `reference` string anywhere inside a resource. */
export function referencesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'reference' && typeof item === 'string') found.push(item);
      else referencesIn(item, found);
    }
  }
  return found;
}
