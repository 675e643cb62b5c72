export interface RetryPolicy {
  /** Tries per call, the first included. */
  attempts: number;
  baseMs: number;
  /** Longest backoff between tries. */
  maxMs: number;
  /** Longest Retry-After the client waits for; a longer one gives the call up (the server asked for that long). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, baseMs: 250, maxMs: 4000, maxRetryAfterMs: 10_000 };

/** How long to wait before the next try, or that the server asked for a wait longer than the client will make. */
export type RetryWait = { waitMs: number } | { tooLongMs: number };

/**
 * The wait before try number `attempt + 1`: exactly the server's Retry-After when it sent one (never
 * less: retrying earlier is what Retry-After forbids), otherwise exponential backoff with jitter.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterHeader: string | null, jitter: number): RetryWait {
  const retryAfterSeconds = retryAfterHeader === null ? Number.NaN : Number(retryAfterHeader);
  if (Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    const waitMs = retryAfterSeconds * 1000;
    return waitMs > policy.maxRetryAfterMs ? { tooLongMs: waitMs } : { waitMs };
  }
  const exponential = Math.min(policy.baseMs * 2 ** attempt, policy.maxMs);
  return { waitMs: Math.round(exponential * (0.5 + jitter / 2)) };
}
