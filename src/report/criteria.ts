/** What the report card judges a client on, in the order it lists them. */
export const CRITERION_IDS = [
  'token-reuse',
  'token-refresh',
  'expiry-foresight',
  'retry-after',
  'backoff',
  'paging',
  'page-load',
  'correctness',
  'timeouts',
] as const;

export type CriterionId = (typeof CRITERION_IDS)[number];

export const CRITERION_TITLES: Readonly<Record<CriterionId, string>> = {
  'token-reuse': 'reuses a token until it nears expiry, not one token per request or page',
  'token-refresh': 'after a 401 invalid_token, gets a new token and retries once, without looping',
  'expiry-foresight': 'refreshes before expires_in runs out, or lets at most one request fail per expiry',
  'retry-after': 'after a 429 or 503 with Retry-After, does not retry that call before the time has passed',
  backoff: 'after repeated 5xx, waits longer between retries and stops retrying within a bound',
  paging: 'follows next links as given, stops at the last page, and does not loop on a broken link',
  'page-load': "loads a patient's card with one batch, not a search per resource type",
  correctness: "uses its tenant's FHIR gateway, asks for FHIR JSON, and sends tokens only where metadata says",
  timeouts: "abandons a hung request within the client's stated timeout",
};

/**
 * Required unless a profile says otherwise (`report.required`). Page load depends on the client's
 * design, and timeouts on a timeout it states, so they are graded but do not fail a run by default.
 */
export const DEFAULT_REQUIRED: readonly CriterionId[] = ['token-reuse', 'token-refresh', 'expiry-foresight', 'retry-after', 'backoff', 'paging', 'correctness'];
