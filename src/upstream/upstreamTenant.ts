import { Duplex, Readable, pipeline } from 'node:stream';
import { FhirError } from '../fhir/errors.js';
import { routeOf } from '../fhir/handlers/route.js';
import { badGateway, badRequest, gatewayTimeout } from '../fhir/outcome.js';
import type { AccessCheck, FhirMethod, FhirVersion, Resource } from '../fhir/types.js';
import { adapterFor } from '../fhir/versions/index.js';
import type { VersionAdapter } from '../fhir/versions/versionAdapter.js';
import type { Clock } from '../lib/clock.js';
import { BaseUrlRewriter } from './baseUrlRewriter.js';
import { gateBatch } from './batchGate.js';
import { mergeBatchResponse, refusedEntry } from './batchResponseMerge.js';
import { readSmall } from './clientCredentialsTokens.js';
import { fhirReleaseOf } from './fhirReleaseOf.js';
import { peekNextLink } from './pagingLinks.js';
import { refusalOf, type AccessRules } from './proxyAccess.js';
import { ResourceTap } from './recording/resourceTap.js';
import type { Recording } from './recording/recording.js';
import { upstreamCredentials, type UpstreamCredentials } from './upstreamCredentials.js';
import { UpstreamError } from './upstreamError.js';
import { describeFailure, discard, isAbortedByCaller, UpstreamHttp, type UpstreamHttpResponse, type UpstreamMethod } from './upstreamHttp.js';
import type { UpstreamConnection } from './upstreamSettings.js';

/** A FHIR call as the gateway hands it over, already authenticated as the partner's client. */
export interface ProxyRequest {
  method: FhirMethod;
  /** Below the base, without leading or trailing slash: "Patient/1", "" for the base. */
  path: string;
  /** The query string as the client sent it, without "?". */
  query: string;
  headers: ForwardedHeaders;
  body?: { json: unknown } | { form: string } | undefined;
  /** This gateway's absolute base, e.g. "http://127.0.0.1:8080/fhir/r4": upstream URLs in the answer become URLs under it. */
  gatewayBase: string;
  /** The token's SMART scopes; absent means full access. */
  permits?: AccessCheck | undefined;
  /** Fires when the client went away: the upstream call is abandoned. */
  signal?: AbortSignal | undefined;
}

/** Request headers that change what a FHIR server answers, forwarded as the client sent them. */
export interface ForwardedHeaders {
  prefer?: string;
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifNoneExist?: string;
  /** The sandbox's id for the request, sent as X-Request-Id so the two logs can be matched. */
  requestId?: string;
}

export interface ProxyAnswer {
  status: number;
  /** Response headers that matter to a FHIR client, URLs rewritten to the gateway. */
  headers: Record<string, string>;
  /** The gateway's FHIR media type for JSON answers; the upstream's own for anything else (a Binary's bytes). */
  contentType: string | undefined;
  /** The body as it streams from the upstream, rewritten on the way; undefined when there is none. */
  body: Readable | undefined;
  /** A searchset's `next` link, rewritten to the gateway (the request event names it for the report card). */
  nextLink?: string;
}

export interface UpstreamTenantOptions {
  tenantId: string;
  /** The hospital's name, for messages. */
  name: string;
  fhirVersion: FhirVersion;
  readOnly: boolean;
  connection: UpstreamConnection;
  clock: Clock;
  /** Where what this tenant serves is recorded; undefined records nothing. */
  recording?: Recording | undefined;
}

// Answer headers a FHIR client acts on; the rest (the upstream's cookies, server names, CORS) stay behind.
const ANSWER_HEADERS = ['etag', 'last-modified', 'location', 'content-location', 'retry-after'] as const;
const HEADER_NAMES: Readonly<Record<(typeof ANSWER_HEADERS)[number], string>> = {
  etag: 'ETag',
  'last-modified': 'Last-Modified',
  location: 'Location',
  'content-location': 'Content-Location',
  'retry-after': 'Retry-After',
};
// A metadata document larger than this is not one.
const MAX_CAPABILITY_BYTES = 16 * 1024 * 1024;
// Error answers that are not FHIR are only described, never passed on: read this much of them at most.
const MAX_FOREIGN_ERROR_BYTES = 64 * 1024;

/**
 * A tenant whose hospital server is a real FHIR server: the sandbox still issues and checks the
 * client's token and routes by its tenant, then forwards the call with its own credentials for the
 * upstream, and streams the answer back with the upstream's URLs rewritten to the gateway's, so
 * paging and references keep the client on the partner (and under its faults). The FHIR version is
 * checked once, at `connect`. Knows HTTP only as a client: no Koa here.
 */
export class UpstreamTenant {
  readonly options: UpstreamTenantOptions;
  /** host[:port] of the upstream, for messages and the dashboard. */
  readonly host: string;
  readonly #http: UpstreamHttp;
  readonly #credentials: UpstreamCredentials;
  readonly #adapter: VersionAdapter;
  /** Base URLs the upstream may use for itself in answers: the configured one, and the one its metadata names. */
  #upstreamBases: string[];

  constructor(options: UpstreamTenantOptions) {
    this.options = options;
    this.host = new URL(options.connection.baseUrl).host;
    this.#http = new UpstreamHttp(options.connection.timeoutMs);
    this.#credentials = upstreamCredentials(options.connection.auth, this.#http, options.clock);
    this.#adapter = adapterFor(options.fhirVersion);
    this.#upstreamBases = [options.connection.baseUrl];
  }

  get baseUrl(): string {
    return this.options.connection.baseUrl;
  }

  /**
   * Reads the upstream's metadata and checks it speaks the tenant's FHIR version. Throws an
   * UpstreamError: `version-mismatch` (the tenant must not start), or a transient one (try again later).
   */
  async connect(): Promise<Resource> {
    const response = await this.#send({ method: 'GET', url: `${this.baseUrl}/metadata`, headers: this.#acceptJson() });
    const text = await readSmall(response.body, MAX_CAPABILITY_BYTES);
    const capability = parseCapability(text);
    const declared = this.options.fhirVersion.toUpperCase();
    if (response.status !== 200 || capability === undefined || typeof capability['fhirVersion'] !== 'string') {
      const what = response.status !== 200 ? `HTTP ${response.status}` : 'no fhirVersion in it';
      throw new UpstreamError('bad-answer', this.host, `${this.baseUrl}/metadata gave no capability document (${what}), so its FHIR version cannot be checked against ${declared}`);
    }
    const served = capability['fhirVersion'];
    const release = fhirReleaseOf(served);
    if (release !== this.options.fhirVersion) {
      throw new UpstreamError(
        'version-mismatch',
        this.host,
        `${this.baseUrl} speaks FHIR ${served}${release ? ` (${release.toUpperCase()})` : ''}, but the tenant is declared ${declared} (${this.#adapter.fhirVersion}): set its fhirVersion to ${release ?? 'the version the upstream speaks'}, or point it at a ${declared} server`,
      );
    }
    const own = (capability['implementation'] as { url?: unknown } | undefined)?.url;
    if (typeof own === 'string' && /^https?:\/\//.test(own)) this.#upstreamBases = [...new Set([this.baseUrl, own.replace(/\/+$/, '')])];
    await this.options.recording?.saveCapability(capability);
    return capability;
  }

  /** Forwards one FHIR call; throws a FhirError for what the partner refuses itself or for an upstream that fails. */
  async forward(request: ProxyRequest): Promise<ProxyAnswer> {
    // A dot segment would let the upstream resolve a path outside its FHIR base.
    if (request.path.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment))) throw badRequest(`"${request.path}" is not a FHIR path`);
    const rules: AccessRules = { permits: request.permits, readOnly: this.options.readOnly, resourceTypes: this.#adapter.resourceTypes };
    const refusal = refusalOf(request.method, request.path, request.query, rules);
    if (refusal !== undefined) throw refusal;
    const isBatch = request.method === 'POST' && request.path === '' && request.body !== undefined && 'json' in request.body;
    const gated = isBatch ? gateBatch((request.body as { json: unknown }).json, request.gatewayBase, rules) : undefined;
    const refused = new Map([...(gated?.refused ?? [])].map(([index, error]) => [index, refusedEntry(error, this.#adapter, `${request.gatewayBase} refused batch entry ${index} ${error.message}`)]));
    if (gated !== undefined && gated.forwarded === undefined) {
      // Nothing may go upstream: the batch-response is the refusals alone.
      return { status: 200, headers: {}, contentType: this.#mediaType(), body: Readable.from(mergeBatchResponse(refused, gated.entries)(nothing())) };
    }
    const toUpstream = new BaseUrlRewriter([{ from: request.gatewayBase, to: this.baseUrl }]);
    const body = gated !== undefined ? { json: gated.forwarded } : request.body;
    const response = await this.#call(request, body, toUpstream);
    return this.#answer(request, response, refused.size > 0 ? mergeBatchResponse(refused, gated?.entries ?? 0) : undefined);
  }

  close(): Promise<void> {
    return this.#http.close();
  }

  async #call(request: ProxyRequest, body: ProxyRequest['body'], toUpstream: BaseUrlRewriter): Promise<UpstreamHttpResponse> {
    // The path as the client sent it (still percent-encoded): ids and type names need no encoding of their own.
    const path = request.path === '' ? '' : `/${request.path}`;
    const url = `${this.baseUrl}${path}${request.query === '' ? '' : `?${request.query}`}`;
    const headers = this.#acceptJson();
    const { prefer, ifMatch, ifNoneMatch, ifModifiedSince, ifNoneExist, requestId } = request.headers;
    if (prefer !== undefined) headers['prefer'] = prefer;
    if (ifMatch !== undefined) headers['if-match'] = ifMatch;
    if (ifNoneMatch !== undefined) headers['if-none-match'] = ifNoneMatch;
    if (ifModifiedSince !== undefined) headers['if-modified-since'] = ifModifiedSince;
    if (ifNoneExist !== undefined) headers['if-none-exist'] = ifNoneExist;
    if (requestId !== undefined) headers['x-request-id'] = requestId;
    let payload: string | undefined;
    if (body !== undefined && 'json' in body) {
      payload = toUpstream.rewrite(JSON.stringify(body.json));
      headers['content-type'] = `${this.#adapter.mediaType}; charset=utf-8`;
    } else if (body !== undefined) {
      payload = body.form;
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    try {
      return await this.#send({ method: request.method as UpstreamMethod, url, headers, ...(payload !== undefined ? { body: payload } : {}), ...(request.signal ? { signal: request.signal } : {}) });
    } catch (error) {
      throw this.#asOutcome(error);
    }
  }

  /** One call with the upstream credentials; a 401 to a token that can be renewed is tried once more with a fresh one. */
  async #send(call: { method: UpstreamMethod; url: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }): Promise<UpstreamHttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const authorization = await this.#credentials.authorization();
      const headers = authorization === undefined ? call.headers : { ...call.headers, authorization };
      const response = await this.#http.send({ ...call, headers });
      if (response.status !== 401) return response;
      if (attempt === 0 && this.#credentials.refused(authorization)) {
        discard(response.body);
        continue;
      }
      discard(response.body);
      const kind = this.options.connection.auth.type === 'none' ? 'asks for credentials, and the tenant has none configured' : "refused the sandbox's credentials";
      throw new UpstreamError('credentials-refused', this.host, `upstream ${this.host} ${kind} (HTTP 401)`);
    }
  }

  async #answer(request: ProxyRequest, response: UpstreamHttpResponse, merge: ReturnType<typeof mergeBatchResponse> | undefined): Promise<ProxyAnswer> {
    const fromUpstream = new BaseUrlRewriter(this.#upstreamBases.map((base) => ({ from: base, to: request.gatewayBase })));
    const headers: Record<string, string> = {};
    for (const name of ANSWER_HEADERS) {
      const value = response.headers[name];
      const text = Array.isArray(value) ? value[0] : value;
      if (text !== undefined) headers[HEADER_NAMES[name]] = name === 'location' || name === 'content-location' ? fromUpstream.rewrite(text) : text;
    }
    const type = headerText(response.headers['content-type']);
    const isJson = type !== undefined && /[/+]json\b/i.test(type);
    if (!isJson && response.status >= 400) {
      await readSmall(response.body, MAX_FOREIGN_ERROR_BYTES);
      throw badGateway(`${this.#who()}: upstream ${this.host} answered ${response.status} with ${type ?? 'no content type'}, not FHIR JSON`);
    }
    if (response.status === 204 || response.status === 304 || headerText(response.headers['content-length']) === '0') {
      discard(response.body);
      this.#noteDelete(request, response.status);
      return { status: response.status, headers, contentType: undefined, body: undefined };
    }
    if (!isJson) return { status: response.status, headers, contentType: type, body: response.body };
    this.#noteDelete(request, response.status);
    const nextLink = response.status === 200 && isSearch(request) ? await this.#peekNextLink(response.body) : undefined;
    const stages: Duplex[] = [];
    const recording = this.options.recording;
    if (recording !== undefined && response.status < 300) stages.push(new ResourceTap((resource) => recording.observe(resource)).stream());
    if (merge !== undefined && response.status === 200) stages.push(Duplex.from(merge));
    const body = fromUpstream.stream();
    // pipeline() destroys every stage when one fails or the client goes away, which aborts the upstream call.
    pipeline([response.body, ...stages, body], () => undefined);
    return { status: response.status, headers, contentType: this.#mediaType(), body, ...(nextLink !== undefined ? { nextLink: fromUpstream.rewrite(nextLink) } : {}) };
  }

  async #peekNextLink(body: Readable): Promise<string | undefined> {
    try {
      return await peekNextLink(body);
    } catch (error) {
      throw this.#asOutcome(describeFailure(error, this.host, this.options.connection.timeoutMs));
    }
  }

  /** A DELETE the upstream carried out: the recording remembers the id as deleted. */
  #noteDelete(request: ProxyRequest, status: number): void {
    if (request.method !== 'DELETE' || status >= 300 || this.options.recording === undefined) return;
    const route = routeOf(request.path);
    if (route.kind === 'instance') this.options.recording.forget(route.type, route.id);
  }

  #asOutcome(error: unknown): unknown {
    if (error instanceof FhirError) return error;
    if (isAbortedByCaller(error)) return badGateway(`${this.#who()}: the client went away before upstream ${this.host} answered`);
    if (!(error instanceof UpstreamError)) return error;
    const message = `${this.#who()}: ${error.message}`;
    return error.code === 'timeout' ? gatewayTimeout(message) : badGateway(message);
  }

  #who(): string {
    return `tenant ${this.options.tenantId} (${this.options.name})`;
  }

  #mediaType(): string {
    return `${this.#adapter.mediaType}; charset=utf-8`;
  }

  #acceptJson(): Record<string, string> {
    return { accept: `${this.#adapter.mediaType}, application/json;q=0.9` };
  }
}

/** A search: GET on the base or a type, or POST _search; its answer is a searchset with paging links. */
function isSearch(request: ProxyRequest): boolean {
  const route = routeOf(request.path);
  return (request.method === 'GET' && (route.kind === 'type' || route.kind === 'base')) || (request.method === 'POST' && route.kind === 'search');
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A capability document (CapabilityStatement, or DSTU2's Conformance) from its text; undefined for anything else. */
function parseCapability(text: string): Resource | undefined {
  try {
    const value = JSON.parse(text) as { resourceType?: unknown } | null;
    return value?.resourceType === 'CapabilityStatement' || value?.resourceType === 'Conformance' ? (value as Resource) : undefined;
  } catch {
    return undefined;
  }
}

async function* nothing(): AsyncGenerator<Buffer> {
  // An upstream answer with no entries.
}
