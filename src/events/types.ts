/** Everything the sandbox tells its observers (dashboard, headless log, SSE stream). */

export interface RequestFinishedEvent {
  type: 'request';
  at: number;
  requestId: string;
  method: string;
  /** Matched route pattern, e.g. "/fhir/stu3/:type/:id"; the raw path is in `path`. */
  route: string;
  path: string;
  status: number;
  ms: number;
  tenantId?: string;
  clientId?: string;
  /** Name of the fault rule that shaped this response, if any. */
  fault?: string;
  /** Upstream tenants: how long the upstream took to start answering (part of `ms`; the rest is the sandbox's own). */
  upstreamMs?: number;
  // What the report card grades a client on. Plain fields, set only when they apply, so the event stays cheap.
  /** Sandbox clock time the request arrived (`at` is when it finished). */
  startedAt?: number;
  /** The Host header the client sent. */
  host?: string;
  /** The query string as sent, without "?". */
  query?: string;
  /** The Accept header the client sent. */
  accept?: string;
  /** The FHIR gateway version the request went to (`/fhir/<version>/…`). */
  fhirVersion?: string;
  /** The jti of the bearer token sent (read without verifying it when the gateway refused it), or of the token a token request got. */
  tokenJti?: string;
  /** Why the gateway refused the bearer token (expired, revoked, unknown-key, …). */
  tokenRefused?: string;
  /** The Retry-After (seconds) the answer carried. */
  retryAfterSeconds?: number;
  /** What the fault layer did: latency, error, hang, reset, empty-reply, truncate, or a response change. */
  faultKind?: string;
  /** The client closed the connection before the answer was complete (e.g. it gave up on a hang). */
  clientClosed?: boolean;
  /** The next-page link the searchset answer gave. */
  nextLink?: string;
}

export interface TokenIssuedEvent {
  type: 'token-issued';
  at: number;
  clientId: string;
  tenantId: string;
  jti: string;
  expiresAt: number;
}

export interface TokensChangedEvent {
  type: 'tokens-changed';
  at: number;
  change: 'expired-all' | 'client-revoked' | 'lifetime-set' | 'key-rotated' | 'clock-skew-set';
  detail: string;
}

export interface ClientChangedEvent {
  type: 'client-changed';
  at: number;
  clientId: string;
  change: 'created' | 'deleted' | 'secret-rotated' | 'secret-revoked' | 'keys-added' | 'key-removed' | 'jwks-url-set' | 'jwks-refreshed' | 'scopes-set';
}

export interface FaultsChangedEvent {
  type: 'faults-changed';
  at: number;
  detail: string;
}

export interface WarningEvent {
  type: 'warning';
  at: number;
  message: string;
}

/** --persist: a tenant's writes started failing (disk full, read-only…), or succeeded again after failing. */
export interface PersistenceEvent {
  type: 'persistence';
  at: number;
  tenantId: string;
  file: string;
  state: 'failing' | 'recovered';
  message: string;
}

export interface SeedProgressEvent {
  type: 'seed-progress';
  at: number;
  tenantId: string;
  done: number;
  total: number;
}

/** What the built-in demo client (--simulate-client) did that an operator should see. */
export interface SimulatorEvent {
  type: 'simulator';
  at: number;
  action: 'token-fetched' | 'token-refreshed' | 'retry' | 'gave-up' | 'page-loaded' | 'export-started' | 'export-done' | 'stopped';
  message: string;
  tenantId?: string;
}

/** An upstream tenant reached its FHIR server (version checked), is waiting for it to come up, or was removed. */
export interface UpstreamEvent {
  type: 'upstream';
  at: number;
  tenantId: string;
  state: 'connected' | 'waiting' | 'removed';
  message: string;
}

/** A scenario's timeline: started, a step applied (or refused), finished, stopped. */
export interface ScenarioEvent {
  type: 'scenario';
  at: number;
  name: string;
  change: 'started' | 'step' | 'step-failed' | 'finished' | 'stopped';
  detail: string;
}

export type SandboxEvent =
  | RequestFinishedEvent
  | TokenIssuedEvent
  | TokensChangedEvent
  | ClientChangedEvent
  | FaultsChangedEvent
  | WarningEvent
  | SeedProgressEvent
  | PersistenceEvent
  | SimulatorEvent
  | UpstreamEvent
  | ScenarioEvent;

export type SandboxEventType = SandboxEvent['type'];
