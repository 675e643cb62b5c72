/** A call that kept failing after every retry; the page load it belongs to is abandoned. */
export class GaveUpError extends Error {
  readonly code = 'ERR_SIMULATOR_GAVE_UP';
  readonly call: string;
  readonly reason: string;

  constructor(call: string, reason: string) {
    super(`${call}: ${reason}`);
    this.name = 'GaveUpError';
    this.call = call;
    this.reason = reason;
  }
}
