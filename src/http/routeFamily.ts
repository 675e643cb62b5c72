import type { FhirVersion } from '../fhir/types.js';

/** Which wire format an error on this path must use. */
export type RouteFamily = { kind: 'oauth' } | { kind: 'fhir'; version: FhirVersion } | { kind: 'admin' };

export function routeFamily(path: string): RouteFamily {
  if (path.startsWith('/oauth2/')) return { kind: 'oauth' };
  const fhir = /^\/fhir\/(dstu2|stu3)(\/|$)/.exec(path);
  if (fhir) return { kind: 'fhir', version: fhir[1] as FhirVersion };
  if (path.startsWith('/fhir/')) return { kind: 'fhir', version: 'stu3' };
  return { kind: 'admin' };
}
