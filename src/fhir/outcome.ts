import { FhirError, OUTCOME_TABLE } from './errors.js';
import type { FhirErrorCode, IssueSeverity, IssueType, OutcomeIssue } from './errors.js';
import type { Resource } from './types.js';
import type { VersionAdapter } from './versions/versionAdapter.js';

/** Small constructors for the outcomes the core returns; the status comes from OUTCOME_TABLE. */

function single(code: FhirErrorCode, diagnostics: string, expression?: string, issueType?: IssueType): FhirError {
  const issue: OutcomeIssue = { severity: 'error', code: issueType ?? OUTCOME_TABLE[code].issueType, diagnostics };
  if (expression !== undefined) issue.expression = expression;
  return new FhirError(code, [issue]);
}

export function badRequest(text: string, expression?: string): FhirError {
  return single('bad-request', text, expression);
}

export function forbidden(text: string): FhirError {
  return single('forbidden', text);
}

export function tooManyRequests(text: string): FhirError {
  return single('too-many-requests', text);
}

export function notFound(text: string): FhirError {
  return single('not-found', text);
}

export function gone(text: string): FhirError {
  return single('gone', text);
}

export function methodNotAllowed(text: string): FhirError {
  return single('method-not-allowed', text);
}

export function notSupported(text: string, expression?: string): FhirError {
  return single('not-supported', text, expression);
}

export function preconditionFailed(text: string): FhirError {
  return single('precondition-failed', text);
}

export function conflict(text: string): FhirError {
  return single('conflict', text);
}

/** A resource that parses but breaks the rules: one issue per offending element. */
export function unprocessable(issues: ReadonlyArray<{ expression: string; message: string }>): FhirError {
  return new FhirError(
    'unprocessable',
    issues.map((issue) => ({ severity: 'error', code: 'invalid', diagnostics: issue.message, expression: issue.expression })),
  );
}

/** A body nested past the server's limit (see resourceLimits.ts). */
export function tooDeep(text: string): FhirError {
  return single('too-deep', text);
}

export function internalError(text: string): FhirError {
  return single('internal', text);
}

/** An interaction this server knows but will not carry out in this setting (501). */
export function notImplemented(text: string, expression?: string): FhirError {
  return single('not-implemented', text, expression);
}

/** The server this one forwards to could not be reached or gave an unusable answer (502). */
export function badGateway(text: string): FhirError {
  return single('bad-gateway', text);
}

/** The server this one forwards to did not answer in time (504). */
export function gatewayTimeout(text: string): FhirError {
  return single('gateway-timeout', text);
}

/** An issue that does not fail the request, e.g. an ignored search parameter. */
export function informationalIssue(diagnostics: string, expression: string, severity: IssueSeverity = 'warning'): OutcomeIssue {
  return { severity, code: 'not-supported', diagnostics, expression };
}

/**
 * The OperationOutcome resource for some issues, in the version's shape: every version has
 * `location` for the offending element, STU3 and later also `expression` (DSTU2 has no such
 * element), and an issue type the version lacks is written as the code the version uses instead.
 */
export function operationOutcome(issues: readonly OutcomeIssue[], adapter: VersionAdapter): Resource {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((issue) => {
      const code = adapter.issueTypeSubstitutes[issue.code] ?? issue.code;
      const rendered: Record<string, unknown> = { severity: issue.severity, code, diagnostics: issue.diagnostics };
      if (issue.expression !== undefined) {
        rendered['location'] = [issue.expression];
        if (adapter.outcomeHasExpression) rendered['expression'] = [issue.expression];
      }
      return rendered;
    }),
  };
}
