import { IncomingMessage, ServerResponse } from 'node:http';
// The global `performance` is a lazy getter on globalThis, run again on every use.
import { performance } from 'node:perf_hooks';
import type Koa from 'koa';
import type { AuthService } from '../auth/authService.js';
import type { VerifiedToken } from '../auth/tokenVerifier.js';
import type { CorsOrigins } from '../config/corsOrigins.js';
import type { EventBus } from '../events/eventBus.js';
import type { RequestFinishedEvent } from '../events/types.js';
import { handleFhirRequest } from '../fhir/server.js';
import { FHIR_VERSIONS, type FhirRequest, type FhirResponse, type FhirVersion } from '../fhir/types.js';
import { fhirContentType } from '../fhir/versions/contentType.js';
import { adapterFor } from '../fhir/versions/index.js';
import type { VersionAdapter } from '../fhir/versions/versionAdapter.js';
import type { Clock } from '../lib/clock.js';
import type { TenantDirectory } from '../tenants/tenantDirectory.js';
import { corsHeadersWithoutOrigin } from './cors.js';
import { INSTANCE_PATTERN } from './gatewayRoute.js';
import type { RequestIds } from './requestIds.js';
import { MAX_ACCEPT_LENGTH } from './requestLifecycle.js';

export interface FastReadOptions {
  auth: AuthService;
  tenants: TenantDirectory;
  /** True while no fault rule can fire; a read that a rule might shape goes through the gateway's fault layer. */
  faultsIdle: () => boolean;
  events: EventBus;
  clock: Clock;
  publicBaseUrl: string | undefined;
  cors: CorsOrigins;
  /** The app's request ids, so ids stay one sequence whichever path answers. */
  nextRequestId: RequestIds;
}

/** Answers the request and returns true, or returns false having touched nothing. */
export type FastRead = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * A read in its canonical spelling only: the version, a resource type, an id of FHIR's id characters,
 * nothing after it (no query, no trailing slash, no percent-encoding, no `_history`).
 */
const CANONICAL_READ = new RegExp(`^/fhir/(${FHIR_VERSIONS.join('|')})/([A-Z][A-Za-z]*)/([A-Za-z0-9.-]{1,64})$`);
const MENTIONS_XML = /xml/i;

interface ServedVersion {
  version: FhirVersion;
  adapter: VersionAdapter;
  contentType: string;
}
const BEARER = 'Bearer ';

/**
 * The authenticated read, answered ahead of Koa. It is most of the sandbox's traffic, and Koa's
 * context, the middleware chain and the gateway's general checks cost more than the read itself.
 * It admits only what the Koa path would answer with no more than the FHIR core's own answer: GET
 * (HEAD is a 405 there), no body, no Origin (CORS then adds the same fixed headers), no XML in
 * Accept, the fault engine idle, a bearer token the verifier has cached and that still stands, and
 * a ready, generated tenant of the path's version. Everything else returns false untouched, for Koa.
 * The answer is the core's, written with the headers, in the order, the Koa path writes them; the
 * request event carries the same fields. The equivalence test holds both paths to the same bytes.
 */
export function fastRead(options: FastReadOptions): FastRead {
  const { auth, tenants, faultsIdle, events, clock, publicBaseUrl, nextRequestId } = options;
  const corsHeaders = corsHeadersWithoutOrigin(options.cors).flat();
  // Looked up by the path's version text, a fresh string each request: a Map hashes it, where an
  // object's keyed load would first look it up among the internalized strings.
  const versions = new Map<string, ServedVersion>(FHIR_VERSIONS.map((version) => [version, { version, adapter: adapterFor(version), contentType: fhirContentType(version) }]));
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const path = req.url ?? '';
    const match = CANONICAL_READ.exec(path);
    if (match === null) return false;
    const headers = req.headers;
    const { host, accept, authorization } = headers;
    if (headers.origin !== undefined || headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) return false;
    // Koa reads only the first of several comma-separated hosts, and the host part of a "user@host".
    if (host === undefined || host === '' || host.includes(',') || host.includes('@')) return false;
    if (accept !== undefined && MENTIONS_XML.test(accept)) return false;
    if (authorization === undefined || !authorization.startsWith(BEARER) || !faultsIdle()) return false;
    const token = standingCachedToken(auth, authorization.slice(BEARER.length));
    if (token === undefined) return false;
    const { version, adapter, contentType } = versions.get(match[1] as string) as ServedVersion;
    const tenant = tenants.get(token.tenantId);
    if (tenant === undefined || tenant.fhirVersion !== version || !tenant.ready || tenant.upstream !== undefined) return false;

    const started = performance.now();
    const startedAt = clock.now();
    const type = match[2] as string;
    const id = match[3] as string;
    const request: FhirRequest = {
      method: 'GET',
      path: `${type}/${id}`,
      params: [],
      headers: conditionalHeaders(req),
      baseUrl: `${publicBaseUrl ?? `http://${host}`}/fhir/${version}`,
    };
    let response: FhirResponse;
    try {
      response = handleFhirRequest(request, { adapter, store: tenant.store, readOnly: tenant.readOnly, clock, permits: token.permissions?.permits }, { kind: 'instance', type, id });
    } catch {
      // Koa's error handling answers what the core could not: a read changes nothing, so it may run again there.
      return false;
    }
    const body = response.json ?? (response.resource !== undefined ? JSON.stringify(response.resource) : undefined);
    if (body === undefined && response.status !== 304) return false;

    const event: RequestFinishedEvent = {
      type: 'request',
      at: clock.now(),
      requestId: nextRequestId(),
      method: 'GET',
      route: INSTANCE_PATTERN,
      path,
      status: response.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      startedAt,
      tenantId: token.tenantId,
    };
    // The fields in the order the Koa path sets them, each under the same condition.
    if (token.clientId) event.clientId = token.clientId;
    event.host = host;
    if (accept !== undefined) event.accept = accept.slice(0, MAX_ACCEPT_LENGTH);
    event.fhirVersion = version;
    event.tokenJti = token.jti;
    events.emit(event);

    // One header list for writeHead: Node writes it as given, without the per-field bookkeeping of setHeader.
    const head = corsHeaders.slice();
    if (response.headers) for (const name in response.headers) head.push(name, response.headers[name] as string);
    if (body === undefined) {
      res.writeHead(response.status, head).end();
      return true;
    }
    head.push('Content-Type', contentType, 'Content-Length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.length));
    res.writeHead(response.status, head).end(body);
    return true;
  };
}

const ANSWERED = Promise.resolve();

/**
 * The app's request listener (what `listen` and the tests' supertest serve) answers the reads `read`
 * admits itself and hands every other request, and any HTTP/2 one, to Koa.
 */
export function answerReadsFirst<S>(app: Koa<S>, read: FastRead): void {
  const koaCallback = app.callback.bind(app);
  app.callback = () => {
    const koa = koaCallback();
    return (req, res) => (req instanceof IncomingMessage && res instanceof ServerResponse && read(req, res) ? ANSWERED : koa(req, res));
  };
}

/** The cached verification when the token still stands; undefined sends the request to the gateway, which verifies or refuses it. */
function standingCachedToken(auth: AuthService, token: string): VerifiedToken | undefined {
  try {
    return auth.verifier.verifyCached(token);
  } catch {
    return undefined;
  }
}

/** The request headers the FHIR core reads, as the gateway passes them (absent and empty alike left out). */
function conditionalHeaders(req: IncomingMessage): FhirRequest['headers'] {
  const conditional: FhirRequest['headers'] = {};
  const { 'if-match': ifMatch, 'if-none-match': ifNoneMatch, prefer } = req.headers;
  if (ifMatch) conditional.ifMatch = ifMatch;
  if (ifNoneMatch) conditional.ifNoneMatch = ifNoneMatch;
  // Node joins repeated fields it does not know into one string; only Set-Cookie stays a list.
  if (typeof prefer === 'string' && prefer !== '') conditional.prefer = prefer;
  return conditional;
}
