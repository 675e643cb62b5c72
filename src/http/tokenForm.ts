import type { IncomingMessage } from 'node:http';
import { OAuthError } from '../auth/oauthError.js';
import type { FormFields } from '../auth/tokenRequest.js';
import { parseFormBody } from './parseFormBody.js';
import { readRequestBody } from './readRequestBody.js';

const FORM_TYPE = 'application/x-www-form-urlencoded';
// Token requests are a few hundred bytes; anything near this limit is a mistake or an attack.
export const TOKEN_BODY_LIMIT = 16 * 1024;

/**
 * A token request's form fields, read straight from the request: the media type checked from the
 * header, the body read with co-body (the reader @koa/bodyparser uses, so a body past the limit is
 * 413, an encoding it cannot decode 415 or 400 as on every other route), then split into fields.
 * A name sent twice keeps both values, so the request parser can refuse it as RFC 6749 §3.1 says.
 */
export async function readTokenForm(request: IncomingMessage): Promise<FormFields> {
  if (!isTokenFormType(request.headers['content-type'])) {
    throw new OAuthError('invalid_request', 'the token request must be application/x-www-form-urlencoded (RFC 6749 §4.4.2)');
  }
  return formFields(await (readAhead.get(request) ?? readTokenBody(request)));
}

/** Whether a Content-Type names the form media type, whatever its parameters: the one a token request may have. */
export function isTokenFormType(contentType: string | undefined): boolean {
  return mediaType(contentType ?? '') === FORM_TYPE;
}

/** A token request's body as text, read as `readTokenForm` reads it, its refusals included. */
export function readTokenBody(request: IncomingMessage): Promise<string> {
  // As text, readRequestBody resolves to a string.
  return readRequestBody(request, 'text', { limit: TOKEN_BODY_LIMIT }) as Promise<string>;
}

// Bodies read before Koa saw their request: the fast token path read one, then handed the request on.
const readAhead = new WeakMap<IncomingMessage, Promise<string>>();

/**
 * Hands Koa a body already read from `request` (or the refusal its read ended in): a stream read
 * once cannot be read again, so `readTokenForm` takes this in place of reading.
 */
export function handOnTokenBody(request: IncomingMessage, body: Promise<string>): void {
  readAhead.set(request, body);
}

function mediaType(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/** Form fields by name, decoded as URLSearchParams decodes them; a repeated name keeps every value in order. */
export function formFields(body: string): FormFields {
  const fields: Record<string, string | string[]> = {};
  // A form with nothing to decode (the usual token request) is split directly, without the URL parser.
  for (const [name, value] of parseFormBody(body)) {
    const existing = fields[name];
    if (existing === undefined) fields[name] = value;
    else fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return fields;
}
