/** A call that kept failing after every retry; the page load it belongs to is abandoned. */
export class GaveUpError extends Error {
  readonly code = 'ERR_SIMULATOR_GAVE_UP';
  readonly call: string;
  readonly reason: string;
  /** The server asked the client to stay away this long (a Retry-After longer than it waits). */
  readonly retryAfterMs: number | undefined;

  constructor(call: string, reason: string, retryAfterMs?: number) {
    super(`${call}: ${reason}`);
    this.name = 'GaveUpError';
    this.call = call;
    this.reason = reason;
    this.retryAfterMs = retryAfterMs;
  }
}
