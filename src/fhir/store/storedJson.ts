import type { Resource } from '../types.js';

/** The text a resource is stored and served as: resourceType, id and meta first, then the rest in the order given. */
export function storedJson(resource: Resource, id: string, meta: { versionId: string; lastUpdated: string }): string {
  const ordered: Record<string, unknown> = { resourceType: resource.resourceType, id, meta: resource.meta === undefined ? meta : { ...resource.meta, ...meta } };
  for (const key in resource) {
    if (key !== 'resourceType' && key !== 'id' && key !== 'meta') ordered[key] = resource[key];
  }
  return JSON.stringify(ordered);
}

