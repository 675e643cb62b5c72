import type { AccessInteraction, FhirMethod } from '../types.js';
import type { Route } from './route.js';

/** A path that names a resource type: everything but the base, metadata and unknown shapes. */
export type TypeRoute = Extract<Route, { type: string }>;

/** The interaction each method means on each shape of path; a method missing here is 405. */
const INTERACTIONS: Readonly<Record<TypeRoute['kind'], Partial<Record<FhirMethod, AccessInteraction>>>> = {
  history: { GET: 'read' },
  search: { GET: 'search', POST: 'search' },
  type: { GET: 'search', POST: 'create' },
  instance: { GET: 'read', PUT: 'update', DELETE: 'delete' },
};

/**
 * What a request does to its resource type, in the words access rules (SMART scopes) use; undefined
 * when the method does not fit the path. Shared by the FHIR core and the upstream proxy, so a tenant
 * served by either grants and refuses exactly the same interactions.
 */
export function interactionOf(route: TypeRoute, method: FhirMethod): AccessInteraction | undefined {
  return INTERACTIONS[route.kind][method];
}
