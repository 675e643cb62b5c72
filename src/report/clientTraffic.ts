import type { RequestFinishedEvent, TokenIssuedEvent } from '../events/types.js';
import type { ReportSettings } from './reportSettings.js';
import type { Evidence } from './reportCard.js';

/** What the report card reads of a request: every field of its event but the timings and the fault rule's name. */
export type GradedRequest = Pick<
  RequestFinishedEvent,
  'requestId' | 'at' | 'startedAt' | 'method' | 'route' | 'path' | 'status' | 'tenantId' | 'clientId' | 'host' | 'accept' | 'query' | 'fhirVersion' | 'tokenJti' | 'tokenRefused' | 'retryAfterSeconds' | 'faultKind' | 'clientClosed' | 'nextLink'
>;

/** A token as the grader knows it: its issue order for the client, tenant and lifetime. */
export interface GradedToken {
  jti: string;
  /** 1 for the client's first token in the window, 2 for the next… (jtis are random; ordinals are not). */
  ordinal: number;
  tenantId: string;
  issuedAt: number;
  expiresAt: number;
}

/** One client's requests, oldest first by arrival, and the tokens it was given. */
export interface ClientTraffic {
  clientId: string;
  requests: readonly GradedRequest[];
  tokens: ReadonlyMap<string, GradedToken>;
}

/** What the grader knows besides one client's traffic. */
export interface GradingContext {
  /** Tenant id (lower case) → the FHIR version its server speaks. */
  tenantVersions: ReadonlyMap<string, string>;
  /** Hosts (lower case, with port) whose metadata advertised the token URL, and the public URL's host. */
  advertisedHosts: ReadonlySet<string>;
  /** When every token issued before was invalidated for this client (expire-all, key rotation, revocation). */
  invalidations: readonly number[];
  settings: ReportSettings;
}

/** What one criterion concluded. */
export interface Judgement {
  result: 'pass' | 'fail' | 'not-observed';
  summary: string;
  evidence: Evidence[];
}

export type Criterion = (traffic: ClientTraffic, context: GradingContext) => Judgement;

// Evidence lists stay short: enough to find the requests in the log.
export const MAX_EVIDENCE = 5;

export const startOf = (request: GradedRequest): number => request.startedAt ?? request.at;

export const isTokenRequest = (request: GradedRequest): boolean => request.method === 'POST' && request.route === '/oauth2/token';

/** A FHIR call with a bearer token (metadata is public and carries none). */
export const isFhirCall = (request: GradedRequest): boolean => request.fhirVersion !== undefined && !request.route.endsWith('/metadata');

/** The tenant a request was for: verified, or the tenant of the token it carried. */
export function tenantOf(request: GradedRequest, tokens: ReadonlyMap<string, GradedToken>): string | undefined {
  if (request.tenantId !== undefined) return request.tenantId.toLowerCase();
  const token = request.tokenJti === undefined ? undefined : tokens.get(request.tokenJti);
  return token?.tenantId;
}

/** "The same call": tenant, method and URL; a retry repeats it. */
export function callKey(request: GradedRequest, tokens: ReadonlyMap<string, GradedToken>): string {
  return `${tenantOf(request, tokens) ?? '-'} ${request.method} ${request.path}${request.query === undefined ? '' : `?${request.query}`}`;
}

/** "POST /fhir/stu3/Patient/_search" (queries shortened), for evidence notes. */
export function describeCall(request: GradedRequest): string {
  const query = request.query === undefined ? '' : `?${request.query.length > 60 ? `${request.query.slice(0, 57)}…` : request.query}`;
  return `${request.method} ${request.path}${query}`;
}

export function evidenceOf(request: GradedRequest, note: string): Evidence {
  return { requestId: request.requestId, at: new Date(request.at).toISOString(), note };
}

export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

export function tokenLabel(jti: string | undefined, tokens: ReadonlyMap<string, GradedToken>): string {
  const token = jti === undefined ? undefined : tokens.get(jti);
  return token === undefined ? 'a token not issued in this window' : `token #${token.ordinal}`;
}

export function indexTokens(issued: readonly TokenIssuedEvent[]): Map<string, GradedToken> {
  const tokens = new Map<string, GradedToken>();
  for (const event of issued) {
    tokens.set(event.jti, { jti: event.jti, ordinal: tokens.size + 1, tenantId: event.tenantId.toLowerCase(), issuedAt: event.at, expiresAt: event.expiresAt });
  }
  return tokens;
}

/** Each call's attempts in arrival order: a retry is the next attempt of the same call. */
export function attemptsByCall(requests: readonly GradedRequest[], tokens: ReadonlyMap<string, GradedToken>): Map<string, GradedRequest[]> {
  const byCall = new Map<string, GradedRequest[]>();
  for (const request of requests) {
    const key = callKey(request, tokens);
    const attempts = byCall.get(key);
    if (attempts === undefined) byCall.set(key, [request]);
    else attempts.push(request);
  }
  return byCall;
}

/** Evidence in the order it happened (request ids are base-36 counters: shorter is older). */
export function byTime(a: Evidence, b: Evidence): number {
  return a.at.localeCompare(b.at) || a.requestId.length - b.requestId.length || a.requestId.localeCompare(b.requestId);
}
