import type { ErrorEffect, FaultErrorStatus, FaultTarget } from './types.js';
import { OAUTH_CONTENT_TYPE, faultContentType, oauthErrorBody, operationOutcome } from './wireFormat.js';
import type { IssueType, OAuthFaultCode } from './wireFormat.js';

/** A complete HTTP answer, independent of any web framework. */
export interface FaultResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const DEFAULT_RETRY_AFTER_SECONDS = 1;

const FHIR_ISSUES: Record<FaultErrorStatus, { code: IssueType; text: string }> = {
  401: { code: 'login', text: 'The access token is invalid or has expired.' },
  429: { code: 'throttled', text: 'Too many requests; slow down and retry later.' },
  500: { code: 'exception', text: 'An internal error occurred while processing the request.' },
  502: { code: 'exception', text: "Bad gateway: the hospital's FHIR server sent an invalid response." },
  503: { code: 'transient', text: 'The service is temporarily unavailable; retry later.' },
  504: { code: 'timeout', text: "Gateway timeout: the hospital's FHIR server did not answer in time." },
};

const OAUTH_ERRORS: Record<FaultErrorStatus, OAuthFaultCode> = {
  401: 'invalid_client',
  429: 'temporarily_unavailable',
  500: 'server_error',
  502: 'server_error',
  503: 'temporarily_unavailable',
  504: 'temporarily_unavailable',
};

function retryAfter(error: ErrorEffect): string | undefined {
  if (error.status === 429) return String(error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
  if (error.status === 503 && error.retryAfterSeconds !== undefined) return String(error.retryAfterSeconds);
  return undefined;
}

/** The error as the token endpoint (OAuth JSON) or a FHIR server (OperationOutcome) would send it. */
export function errorResponse(error: ErrorEffect, target: FaultTarget): FaultResponse {
  const issue = FHIR_ISSUES[error.status];
  const text = error.message ?? issue.text;
  const headers: Record<string, string> = {};
  const after = retryAfter(error);
  if (after !== undefined) headers['Retry-After'] = after;

  if (target.interaction === 'token') {
    headers['Content-Type'] = OAUTH_CONTENT_TYPE;
    headers['Cache-Control'] = 'no-store';
    headers['Pragma'] = 'no-cache';
    return { status: error.status, headers, body: JSON.stringify(oauthErrorBody(OAUTH_ERRORS[error.status], text)) };
  }

  headers['Content-Type'] = faultContentType(target.fhirVersion);
  if (error.status === 401) {
    // Free text in a quoted-string: quotes, backslashes and non-ASCII would break the header (or make Node throw).
    headers['WWW-Authenticate'] = `Bearer error="invalid_token", error_description="${text.replace(/[^\x20-\x7e]|["\\]/g, ' ')}"`;
  }
  return { status: error.status, headers, body: JSON.stringify(operationOutcome(issue.code, text)) };
}
