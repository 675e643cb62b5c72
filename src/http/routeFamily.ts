import { FHIR_VERSIONS, type FhirVersion } from '../fhir/types.js';

/** Which wire format an error on this path must use. */
export type RouteFamily = { kind: 'oauth' } | { kind: 'fhir'; version: FhirVersion } | { kind: 'admin' };

// Errors under an unknown version's base still answer as FHIR, in the newest version's shape.
const FALLBACK_VERSION = FHIR_VERSIONS[FHIR_VERSIONS.length - 1] as FhirVersion;

export function routeFamily(path: string): RouteFamily {
  if (path.startsWith('/oauth2/')) return { kind: 'oauth' };
  if (!path.startsWith('/fhir/')) return { kind: 'admin' };
  const segment = path.slice('/fhir/'.length).split('/', 1)[0] as FhirVersion;
  return { kind: 'fhir', version: FHIR_VERSIONS.includes(segment) ? segment : FALLBACK_VERSION };
}
