import type { CheckRun } from './checkRun.js';
import { JWT_BEARER_ASSERTION, signClientAssertion } from './clientAssertion.js';
import { isObject } from './fhirJson.js';
import type { Exchange, OutgoingRequest } from './httpTransport.js';
import type { RunFacts, TokenGrant } from './runFacts.js';

/** The requests the client sends, built the way it builds them. */

const USER_AGENT = 'patients-sandbox-check';
// Before the version is known, the client accepts either version's media type.
const ANY_FHIR_JSON = 'application/fhir+json, application/json+fhir, application/json;q=0.9';
const FORM_TYPE = 'application/x-www-form-urlencoded';
// Refresh a token this close to its end, as a careful client does, rather than send it dying.
const REFRESH_MARGIN_MS = 2_000;

export type FhirBody = { form: URLSearchParams } | { json: unknown };

function accept(facts: RunFacts): string {
  return facts.callSet === undefined ? ANY_FHIR_JSON : `${facts.callSet.mediaType}, application/json;q=0.9`;
}

/** A URL below the base; "" is the base itself (batch). Absolute URLs (next links) are used as they are. */
export function fhirUrl(facts: RunFacts, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return path === '' ? facts.options.baseUrl : `${facts.options.baseUrl}/${path}`;
}

/** GET below the base without a token: metadata and discovery documents. */
export function publicRequest(facts: RunFacts, path: string): OutgoingRequest {
  return { method: 'GET', url: fhirUrl(facts, path), headers: { Accept: accept(facts), 'User-Agent': USER_AGENT } };
}

export function fhirRequest(facts: RunFacts, bearer: string, method: 'GET' | 'POST', path: string, body?: FhirBody): OutgoingRequest {
  const headers: Record<string, string> = { Accept: accept(facts), Authorization: `Bearer ${bearer}`, 'User-Agent': USER_AGENT };
  const request: OutgoingRequest = { method, url: fhirUrl(facts, path), headers };
  if (body !== undefined && 'form' in body) {
    headers['Content-Type'] = FORM_TYPE;
    request.body = body.form.toString();
  } else if (body !== undefined) {
    headers['Content-Type'] = facts.callSet?.mediaType ?? 'application/json';
    request.body = JSON.stringify(body.json);
  }
  return request;
}

/** How one token request authenticates the client: a secret (HTTP Basic or in the form), or a signed assertion. */
export type TokenCredentials = { via: 'basic' | 'post'; secret: string } | { via: 'assertion'; assertion: string };

/**
 * Client credentials with the tenant (and any further scopes) in scope, authenticated by HTTP Basic or
 * in the form (RFC 6749 section 2.3.1), or by a client assertion (RFC 7523, as SMART Backend Services uses it).
 */
export function tokenRequest(facts: RunFacts, tokenUrl: string, credentials: TokenCredentials): OutgoingRequest {
  const { clientId, scope } = facts.options;
  const form = new URLSearchParams({ grant_type: 'client_credentials', scope });
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': FORM_TYPE, 'User-Agent': USER_AGENT };
  switch (credentials.via) {
    case 'basic':
      headers.Authorization = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(credentials.secret)}`).toString('base64')}`;
      break;
    case 'post':
      form.set('client_id', clientId);
      form.set('client_secret', credentials.secret);
      break;
    case 'assertion':
      form.set('client_assertion_type', JWT_BEARER_ASSERTION);
      form.set('client_assertion', credentials.assertion);
      break;
  }
  return { method: 'POST', url: tokenUrl, headers, body: form.toString() };
}

/** Credentials for a new token request by the same way as `via`: the client's secret, or a newly signed assertion for `audience`. */
export async function freshCredentials(run: CheckRun, facts: RunFacts, via: TokenGrant['via'], audience: string): Promise<TokenCredentials> {
  const { auth, clientId } = facts.options;
  if (via === 'assertion') {
    if (auth.method !== 'private_key_jwt') throw new TypeError('an assertion needs the client key (options.clientKey)');
    return { via, assertion: await signClientAssertion(auth.signer, { clientId, audience, now: run.clock.now() }) };
  }
  if (auth.method !== 'client_secret') throw new TypeError('HTTP Basic and the form post need the client secret (options.clientSecret)');
  return { via, secret: auth.clientSecret };
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** The grant a token answer holds, or what is wrong with it. */
export function readGrant(run: CheckRun, exchange: Exchange, via: TokenGrant['via']): { grant: TokenGrant } | { problem: string } {
  if (exchange.status === undefined) return { problem: `no answer: ${exchange.failure ?? 'unknown error'}` };
  const parsed = run.json(exchange);
  const body = parsed.ok && isObject(parsed.value) ? parsed.value : undefined;
  if (exchange.status !== 200) {
    const error = typeof body?.error === 'string' ? ` ${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}` : '';
    return { problem: `HTTP ${exchange.status}${error}` };
  }
  if (body === undefined) return { problem: `HTTP 200 but ${parsed.ok ? 'the body is not a JSON object' : parsed.problem}` };
  if (typeof body.access_token !== 'string' || body.access_token === '') return { problem: 'no access_token in the answer' };
  if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
    return { problem: `token_type is ${JSON.stringify(body.token_type)}, not "Bearer"` };
  }
  if (typeof body.expires_in !== 'number' || !(body.expires_in > 0)) return { problem: `expires_in is ${JSON.stringify(body.expires_in)}, not a number of seconds` };
  return { grant: { accessToken: body.access_token, expiresInSeconds: body.expires_in, obtainedAt: run.clock.now(), via } };
}

/** The token to send now: the one held, or a fresh one when it is about to expire (a failed refresh keeps the old one). */
export async function currentBearer(run: CheckRun, facts: RunFacts): Promise<string> {
  const grant = facts.grant;
  if (grant === undefined) throw new TypeError('no token: check facts.grant before calling the FHIR server');
  const expiresAt = grant.obtainedAt + grant.expiresInSeconds * 1000;
  if (facts.tokenUrl === undefined || expiresAt - REFRESH_MARGIN_MS > run.clock.now()) return grant.accessToken;
  const credentials = await freshCredentials(run, facts, grant.via, facts.tokenUrl);
  const renewed = readGrant(run, await run.send(tokenRequest(facts, facts.tokenUrl, credentials)), grant.via);
  if ('grant' in renewed) facts.grant = renewed.grant;
  return facts.grant?.accessToken ?? grant.accessToken;
}

/** A FHIR call with the current token. */
export async function callFhir(run: CheckRun, facts: RunFacts, method: 'GET' | 'POST', path: string, body?: FhirBody): Promise<Exchange> {
  return run.send(fhirRequest(facts, await currentBearer(run, facts), method, path, body));
}
