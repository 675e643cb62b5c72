import type { Context } from 'koa';
import { InvalidTokenError } from '../auth/invalidTokenError.js';
import { OAuthError } from '../auth/oauthError.js';
import { FhirError, type OutcomeIssue } from '../fhir/errors.js';
import { operationOutcome } from '../fhir/outcome.js';
import type { FhirVersion } from '../fhir/types.js';
import { fhirContentType } from '../fhir/versions/contentType.js';
import { adapterFor } from '../fhir/versions/index.js';
import { AdminError } from './adminError.js';
import { routeFamily } from './routeFamily.js';

/**
 * The one place that turns a thrown error into the wire format of the route it happened on:
 * RFC 6749 JSON for /oauth2, OperationOutcome for /fhir, `{ error, message }` elsewhere.
 * Unknown errors become a 500 that reveals nothing of the internals.
 */
export function writeError(ctx: Context, error: unknown): void {
  const family = routeFamily(ctx.path);
  if (error instanceof OAuthError) return writeOAuth(ctx, error);
  const version = family.kind === 'fhir' ? family.version : 'stu3';
  if (error instanceof InvalidTokenError) {
    ctx.set('WWW-Authenticate', `Bearer realm="patients-sandbox", error="invalid_token", error_description="${error.message}"`);
    return writeOutcome(ctx, 401, [{ severity: 'error', code: 'login', diagnostics: error.message }], version);
  }
  if (error instanceof FhirError) return writeOutcome(ctx, error.status, error.issues, version);
  if (error instanceof AdminError) return writeJson(ctx, error.status, { error: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) });

  const { status, message, expected } = clientFacing(error);
  if (!expected) process.stderr.write(`patients-sandbox: unhandled error on ${ctx.method} ${ctx.path}: ${(error as Error)?.stack ?? String(error)}\n`);
  switch (family.kind) {
    case 'oauth':
      return writeOAuth(ctx, new OAuthError(status >= 500 ? 'server_error' : 'invalid_request', message, { status }));
    case 'fhir':
      return writeOutcome(ctx, status, [{ severity: 'error', code: status === 503 ? 'transient' : status >= 500 ? 'exception' : status === 404 ? 'not-found' : 'invalid', diagnostics: message }], family.version);
    case 'admin':
      return writeJson(ctx, status, { error: adminErrorCode(status), message });
  }
}

function writeOAuth(ctx: Context, error: OAuthError): void {
  if (error.wwwAuthenticate) ctx.set('WWW-Authenticate', error.wwwAuthenticate);
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  writeJson(ctx, error.status, error.toJSON());
}

function writeOutcome(ctx: Context, status: number, issues: readonly OutcomeIssue[], version: FhirVersion): void {
  ctx.status = status;
  ctx.set('Content-Type', fhirContentType(version));
  ctx.body = JSON.stringify(operationOutcome(issues, adapterFor(version)));
}

function writeJson(ctx: Context, status: number, body: object): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = body;
}

function adminErrorCode(status: number): string {
  if (status >= 500) return 'internal';
  if (status === 404) return 'not-found';
  if (status === 405) return 'method-not-allowed';
  return 'bad-request';
}

/**
 * Errors thrown by Koa and its body parser carry a status and a message meant for clients (`expose`):
 * a 4xx unless marked otherwise, a 5xx only when its thrower marked it (a tenant still starting: 503).
 * Anything else is unexpected: a 500, logged.
 */
export function clientFacing(error: unknown): { status: number; message: string; expected: boolean } {
  if (error && typeof error === 'object') {
    const candidate = error as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown; limit?: unknown };
    const status = Number(candidate.status ?? candidate.statusCode);
    const exposed = status < 500 ? candidate.expose !== false : candidate.expose === true;
    if (Number.isInteger(status) && status >= 400 && status < 600 && exposed) {
      const limit = typeof candidate.limit === 'number' ? candidate.limit : undefined;
      return { status, message: describeClientError(status, String(candidate.message ?? 'bad request'), limit), expected: true };
    }
  }
  return { status: 500, message: 'the sandbox failed to handle this request; see its console for details', expected: false };
}

/** `limit`: the byte limit a body parser refused a body at (raw-body sets it on its 413). */
function describeClientError(status: number, message: string, limit: number | undefined): string {
  if (status === 413) return `request body too large (${message})${limit === undefined ? '' : `: this route accepts at most ${limit} bytes`}`;
  if (status === 415) return `unsupported content type (${message})`;
  return message;
}
