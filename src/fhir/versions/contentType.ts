import type { FhirVersion } from '../types.js';
import { adapterFor } from './index.js';

/** The Content-Type header of every FHIR body on a version's base: its media type, in UTF-8. */
export function fhirContentType(version: FhirVersion): string {
  return `${adapterFor(version).mediaType}; charset=utf-8`;
}
