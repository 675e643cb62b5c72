import type { IssueSequence } from './issueSequence.js';

/**
 * How tokens are issued and which ones are still honoured. Changed at run time by the control
 * plane (dashboard keys, admin API) to reproduce token trouble: short lifetimes, mass expiry,
 * revoked clients, clocks that disagree.
 */
export class TokenPolicy {
  lifetimeSeconds: number;
  /**
   * How far the token service's clock is off the gateway's, in seconds. Positive (ahead): `iat`, `nbf`
   * and `exp` are future-dated, so the gateway refuses a new token as not yet valid for that long.
   * Negative (behind): `iat` and `exp` are back-dated, so a token dies that much sooner than its
   * `expires_in` says (at once when the skew exceeds the lifetime).
   */
  clockSkewSeconds: number;
  // Cut-offs are issue numbers: a token is refused when its signed `seq` is below one.
  #cutoff = 0;
  readonly #clientCutoffs = new Map<string, number>();
  readonly #sequence: IssueSequence;

  constructor(lifetimeSeconds: number, clockSkewSeconds: number, sequence: IssueSequence) {
    this.lifetimeSeconds = lifetimeSeconds;
    this.clockSkewSeconds = clockSkewSeconds;
    this.#sequence = sequence;
  }

  /** What the current clock skew does to new tokens, in words for operators. */
  get clockSkewEffect(): string {
    const skew = this.clockSkewSeconds;
    if (skew > 0) return `token clock ${skew}s ahead: iat/nbf/exp future-dated, new tokens refused as not yet valid for ${skew}s`;
    if (skew < 0) {
      const outcome = -skew >= this.lifetimeSeconds ? 'new tokens are expired on arrival' : `new tokens expire ${-skew}s before expires_in says`;
      return `token clock ${-skew}s behind: iat/exp back-dated, ${outcome}`;
    }
    return 'token clock in step with the gateway';
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
