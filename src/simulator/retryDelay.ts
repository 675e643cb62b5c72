export interface RetryPolicy {
  /** Tries per call, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, baseMs: 250, maxMs: 4000 };

/**
 * How long to wait before try number `attempt + 1`: the server's Retry-After when it sent one
 * (capped, so a 30 s outage hint does not stall the demo), otherwise exponential backoff with jitter.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterHeader: string | null, jitter: number): number {
  const retryAfterSeconds = retryAfterHeader === null ? Number.NaN : Number(retryAfterHeader);
  if (Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) return Math.min(retryAfterSeconds * 1000, policy.maxMs);
  const exponential = Math.min(policy.baseMs * 2 ** attempt, policy.maxMs);
  return Math.round(exponential * (0.5 + jitter / 2));
}
