import type { FhirVersion } from '../fhir/types.js';

/**
 * The little FHIR and OAuth the fault layer must speak to build an error as the real server would.
 * DSTU2 predates the registered media type; STU3 uses it.
 */
export function fhirContentType(version: FhirVersion | undefined): string {
  return version === 'stu3' ? 'application/fhir+json; charset=utf-8' : 'application/json+fhir; charset=utf-8';
}

/** Issue types present in both DSTU2 and STU3 (http://hl7.org/fhir/issue-type). */
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
