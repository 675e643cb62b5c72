import type { Clock } from '../lib/clock.js';

/**
 * How tokens are issued and which ones are still honoured. Changed at run time by the control
 * plane (dashboard keys, admin API) to reproduce token trouble: short lifetimes, mass expiry,
 * revoked clients, clocks that disagree.
 */
export class TokenPolicy {
  lifetimeSeconds: number;
  /** Issue tokens with `iat`/`nbf` this many seconds in the future (negative: in the past). */
  clockSkewSeconds = 0;
  /** Tokens issued before this instant (ms) are refused. */
  #notBefore = 0;
  readonly #clientNotBefore = new Map<string, number>();
  readonly #clock: Clock;

  constructor(clock: Clock, lifetimeSeconds: number) {
    this.#clock = clock;
    this.lifetimeSeconds = lifetimeSeconds;
  }

  /** "Expire every token issued before now." */
  expireAllNow(): void {
    this.#notBefore = this.#clock.now() + 1;
  }

  /** Refuse every token a client holds now; new ones it asks for are fine. */
  revokeClientTokens(clientId: string): void {
    this.#clientNotBefore.set(clientId, this.#clock.now() + 1);
  }

  isRevoked(clientId: string, issuedAtMs: number): boolean {
    if (issuedAtMs < this.#notBefore) return true;
    const clientCutoff = this.#clientNotBefore.get(clientId);
    return clientCutoff !== undefined && issuedAtMs < clientCutoff;
  }
}
