import { STATUS_CODES } from 'node:http';
import type { IssueType } from '../fhir/errors.js';
import { operationOutcome } from '../fhir/outcome.js';
import { fhirContentType } from '../fhir/versions/contentType.js';
import { adapterFor } from '../fhir/versions/index.js';
import { routeFamily } from './routeFamily.js';

/**
 * A complete HTTP/1.1 error response, for a socket no framework owns (a request Node could not
 * parse, or one refused before the app): the body in the wire format of the route family `path`
 * belongs to, as writeError would write it, and `Connection: close`.
 */
export function rawErrorReply(status: number, path: string, message: string): string {
  const { contentType, body } = shortErrorBody(status, path, message);
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    `Content-Type: ${contentType}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The error body alone, for a response written through Node's ServerResponse. */
export function shortErrorBody(status: number, path: string, message: string): { contentType: string; body: string } {
  const family = routeFamily(path);
  switch (family.kind) {
    case 'fhir': {
      const outcome = operationOutcome([{ severity: 'error', code: issueTypeFor(status), diagnostics: message }], adapterFor(family.version));
      return { contentType: fhirContentType(family.version), body: JSON.stringify(outcome) };
    }
    case 'oauth':
      return { contentType: JSON_TYPE, body: JSON.stringify({ error: 'invalid_request', error_description: message }) };
    case 'admin':
      return { contentType: JSON_TYPE, body: JSON.stringify({ error: 'bad-request', message }) };
  }
}

function issueTypeFor(status: number): IssueType {
  if (status === 408) return 'timeout';
  if (status === 413 || status === 414 || status === 431) return 'too-long';
  return 'structure';
}
