import type { IssueSequence } from './issueSequence.js';

/**
 * How tokens are issued and which ones are still honoured. Changed at run time by the control
 * plane (dashboard keys, admin API) to reproduce token trouble: short lifetimes, mass expiry,
 * revoked clients, clocks that disagree.
 */
export class TokenPolicy {
  lifetimeSeconds: number;
  /** Issue tokens with `iat`/`nbf` this many seconds in the future (negative: in the past). */
  clockSkewSeconds = 0;
  // Cut-offs are issue numbers: a token is refused when its signed `seq` is below one.
  #cutoff = 0;
  readonly #clientCutoffs = new Map<string, number>();
  readonly #sequence: IssueSequence;

  constructor(lifetimeSeconds: number, sequence: IssueSequence) {
    this.lifetimeSeconds = lifetimeSeconds;
    this.#sequence = sequence;
  }

  /** "Expire every token issued before now." */
  expireAllNow(): void {
    this.#cutoff = this.#sequence.next();
  }

  /** Refuse every token a client holds now; new ones it asks for are fine. */
  revokeClientTokens(clientId: string): void {
    this.#clientCutoffs.set(clientId, this.#sequence.next());
  }

  isRevoked(token: { clientId: string; sequence: number }): boolean {
    return token.sequence < this.#cutoff || token.sequence < (this.#clientCutoffs.get(token.clientId) ?? 0);
  }
}
