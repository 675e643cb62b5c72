import { FHIR_VERSIONS, type FhirVersion } from '../fhir/types.js';
import { adapterFor } from '../fhir/versions/index.js';

/**
 * The sandbox's name for the FHIR release a capability document's `fhirVersion` names ("4.0.1" → r4),
 * by major and minor number, as FHIR versions releases; undefined for a release the sandbox does not serve
 * (R4B's 4.3, R5's 5.0, a ballot).
 */
export function fhirReleaseOf(fhirVersion: string): FhirVersion | undefined {
  const release = majorMinor(fhirVersion);
  return release === undefined ? undefined : FHIR_VERSIONS.find((version) => majorMinor(adapterFor(version).fhirVersion) === release);
}

function majorMinor(text: string): string | undefined {
  return /^(\d+\.\d+)(?:\.|$|-)/.exec(text.trim())?.[1];
}
