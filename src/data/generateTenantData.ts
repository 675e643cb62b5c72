import type { ResourceCollections } from '../fhir/types.js';
import { generateTenantDataset } from './generateTenantResources.js';
import type { TenantDataOptions } from './tenantDataOptions.js';

/** All of a tenant's resources at once (its Groups included), in json-server's db.json shape; for small tenants and files. */
export function generateTenantData(options: TenantDataOptions): ResourceCollections {
  const collections: ResourceCollections = {};
  for (const batch of generateTenantDataset(options)) {
    for (const resource of batch) {
      const collection = collections[resource.resourceType];
      if (collection) collection.push(resource);
      else collections[resource.resourceType] = [resource];
    }
  }
  return collections;
}
