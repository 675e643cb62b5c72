/** The little FHIR and OAuth the fault layer must speak to build an error as the real server would. */
import { FHIR_VERSIONS, type FhirVersion } from '../fhir/types.js';
import { fhirContentType } from '../fhir/versions/contentType.js';

// A FHIR target always names its version; should one not, answer as the newest version would.
const NEWEST_VERSION = FHIR_VERSIONS[FHIR_VERSIONS.length - 1] as FhirVersion;

/** The version's own Content-Type, from the same source the gateway uses. */
export function faultContentType(version: FhirVersion | undefined): string {
  return fhirContentType(version ?? NEWEST_VERSION);
}

/** Issue types present in every version served (http://hl7.org/fhir/issue-type). */
export type IssueType = 'exception' | 'transient' | 'timeout' | 'throttled' | 'login' | 'not-found';

export interface OperationOutcomeJson {
  resourceType: 'OperationOutcome';
  issue: Array<{ severity: 'error'; code: IssueType; diagnostics: string }>;
}

export function operationOutcome(code: IssueType, diagnostics: string): OperationOutcomeJson {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

export type OAuthFaultCode = 'server_error' | 'temporarily_unavailable' | 'invalid_client';

/** RFC 6749 §5.2 error body, as the token endpoint sends it. */
export function oauthErrorBody(error: OAuthFaultCode, description: string): { error: OAuthFaultCode; error_description: string } {
  return { error, error_description: description };
}

export const OAUTH_CONTENT_TYPE = 'application/json; charset=utf-8';
