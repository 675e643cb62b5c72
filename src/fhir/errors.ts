/**
 * The FHIR core's one errors module. Every failure a client can cause is a FhirError with a stable
 * `code` (narrow on it with `switch (err.code)`); ONE table below maps that code to an HTTP status and
 * to the OperationOutcome issue type written on the wire.
 */

/**
 * OperationOutcome issue types (http://hl7.org/fhir/issue-type) across the versions served; a
 * version adapter substitutes the ones its own value set lacks (`deleted` is R4 on).
 */
export type IssueType =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'invariant'
  | 'security'
  | 'login'
  | 'unknown'
  | 'expired'
  | 'forbidden'
  | 'suppressed'
  | 'processing'
  | 'not-supported'
  | 'duplicate'
  | 'not-found'
  | 'too-long'
  | 'code-invalid'
  | 'extension'
  | 'too-costly'
  | 'business-rule'
  | 'conflict'
  | 'incomplete'
  | 'transient'
  | 'lock-error'
  | 'no-store'
  | 'exception'
  | 'timeout'
  | 'throttled'
  | 'informational'
  | 'deleted';

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

export interface OutcomeIssue {
  severity: IssueSeverity;
  code: IssueType;
  diagnostics: string;
  /** Where the problem is: an element path such as "Patient.id" or a search parameter name. */
  expression?: string;
}

export type FhirErrorCode =
  | 'bad-request'
  | 'not-found'
  | 'gone'
  | 'forbidden'
  | 'method-not-allowed'
  | 'not-supported'
  | 'precondition-failed'
  | 'conflict'
  | 'unprocessable'
  | 'too-deep'
  | 'too-many-requests'
  | 'internal'
  | 'not-implemented'
  | 'bad-gateway'
  | 'gateway-timeout';

/** The one mapping from an outcome to its HTTP status and wire issue type. */
export const OUTCOME_TABLE: Readonly<Record<FhirErrorCode, { status: number; issueType: IssueType }>> = {
  'bad-request': { status: 400, issueType: 'invalid' },
  'not-found': { status: 404, issueType: 'not-found' },
  gone: { status: 410, issueType: 'deleted' },
  forbidden: { status: 403, issueType: 'forbidden' },
  'method-not-allowed': { status: 405, issueType: 'not-supported' },
  'not-supported': { status: 400, issueType: 'not-supported' },
  'precondition-failed': { status: 412, issueType: 'conflict' },
  conflict: { status: 409, issueType: 'conflict' },
  unprocessable: { status: 422, issueType: 'processing' },
  'too-deep': { status: 400, issueType: 'too-long' },
  'too-many-requests': { status: 429, issueType: 'throttled' },
  internal: { status: 500, issueType: 'exception' },
  'not-implemented': { status: 501, issueType: 'not-supported' },
  // The server behind this one failed or could not be reached: worth trying again later.
  'bad-gateway': { status: 502, issueType: 'transient' },
  'gateway-timeout': { status: 504, issueType: 'timeout' },
};

export class FhirError extends Error {
  readonly code: FhirErrorCode;
  readonly status: number;
  readonly issues: readonly OutcomeIssue[];

  constructor(code: FhirErrorCode, issues: readonly OutcomeIssue[]) {
    super(issues[0]?.diagnostics ?? code);
    this.name = 'FhirError';
    this.code = code;
    this.status = OUTCOME_TABLE[code].status;
    this.issues = issues;
  }
}
