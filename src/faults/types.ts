/**
 * The vocabulary of fault injection: what a rule matches, what it does, and what the engine decides
 * for one request. Rules are plain JSON (profiles, the admin API) validated by parseFaultRule.
 */
import type { FhirVersion } from '../fhir/types.js';

/**
 * What a request does, as the routes that may be faulted describe it; vread counts as read,
 * create/update/delete as write. A Bulk Data export is three interactions: its kick-off, polling
 * (or cancelling) its status URL, and downloading one of its files.
 */
export type FaultInteraction = 'read' | 'search' | 'batch' | 'metadata' | 'token' | 'write' | 'export-kickoff' | 'export-status' | 'export-file';

export const FAULT_INTERACTIONS: readonly FaultInteraction[] = ['read', 'search', 'batch', 'metadata', 'token', 'write', 'export-kickoff', 'export-status', 'export-file'];

/** The calls a hospital's FHIR server answers with its data (not metadata, not tokens): what an outage of it hits. */
export const DATA_INTERACTIONS: readonly FaultInteraction[] = ['read', 'search', 'batch', 'write', 'export-kickoff', 'export-status', 'export-file'];

/** Set by a route on `ctx.state.faultTarget` before the fault middleware runs. */
export interface FaultTarget {
  interaction: FaultInteraction;
  tenantId?: string;
  resourceType?: string;
  fhirVersion?: FhirVersion;
}

/** One value or a list; a field left out matches anything. */
export type OneOrMany<T> = T | readonly T[];

export interface FaultMatch {
  tenantId?: OneOrMany<string>;
  resourceType?: OneOrMany<string>;
  interaction?: OneOrMany<FaultInteraction>;
  fhirVersion?: OneOrMany<FhirVersion>;
}

/** Milliseconds throughout; `cap` clamps a draw from above (the engine's own maximum still applies). */
export type LatencyEffect =
  | { distribution: 'fixed'; ms: number; cap?: number }
  | { distribution: 'uniform'; min: number; max: number; cap?: number }
  | { distribution: 'normal'; mean: number; sd: number; cap?: number }
  | { distribution: 'lognormal'; median: number; spread: number; cap?: number };

export type FaultErrorStatus = 401 | 429 | 500 | 502 | 503 | 504;

export interface ErrorEffect {
  status: FaultErrorStatus;
  /** Sent as Retry-After on 429 and 503. */
  retryAfterSeconds?: number;
  /** Replaces the default diagnostics text. */
  message?: string;
}

export type TransportEffect =
  /** Say nothing until the client gives up or the hang limit passes, then drop the connection. */
  | { kind: 'hang'; maxMs?: number }
  /** TCP RST: the client sees ECONNRESET. */
  | { kind: 'reset' }
  /** Close the connection without sending a byte. */
  | { kind: 'empty-reply' }
  /** Send the headers (with the full Content-Length) and part of the body, then drop the connection. */
  | { kind: 'truncate'; keepFraction?: number };

export type ResponseEffect =
  | { kind: 'malformed-json' }
  | { kind: 'wrong-content-type'; contentType?: string; replaceBody?: boolean }
  /** `not-found`: the next link answers 404; `past-end`: a next link that leads to an empty page. */
  | { kind: 'broken-next-link'; mode?: 'not-found' | 'past-end' }
  /** Bundle.total becomes the real total plus `delta` (never below 0). */
  | { kind: 'total-mismatch'; delta?: number };

/** Latency may combine with one of the others ("slow, then 503"). */
export interface FaultEffect {
  latency?: LatencyEffect;
  error?: ErrorEffect;
  transport?: TransportEffect;
  response?: ResponseEffect;
}

export interface FaultSchedule {
  /** Seconds after the rule was posted (a profile's rules: after start), on the sandbox's Clock. */
  fromSeconds?: number;
  untilSeconds?: number;
  /** Fire on every Nth request that matches (and is inside the time window). */
  everyNth?: number;
}

export interface FaultRule {
  name: string;
  match: FaultMatch;
  effect: FaultEffect;
  probability: number;
  schedule?: FaultSchedule;
  enabled: boolean;
}

/** What the request should suffer: the one effect that is not latency, plus latency. */
export type FaultOutcome =
  | { kind: 'error'; rule: string; error: ErrorEffect }
  | { kind: 'transport'; rule: string; transport: TransportEffect }
  | { kind: 'response'; rule: string; response: ResponseEffect };

export interface FaultDecision {
  latency?: { rule: string; ms: number };
  outcome?: FaultOutcome;
}
