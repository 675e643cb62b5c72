import type { Clock } from '../lib/clock.js';
import type { TokenFacts } from './tokenStanding.js';

export interface IssuedToken extends TokenFacts {
  jti: string;
  issuedAt: number;
  expiresAt: number;
}

export interface TokenCounts {
  issued: number;
  active: number;
  /** Active tokens expiring within the window, soonest first. */
  expiringSoon: IssuedToken[];
}

// Bounded so a client that loops on the token endpoint cannot grow memory without limit. Only the
// counts depend on it: revocation reads the token's own signed claims.
export const MAX_TRACKED = 10_000;
// A prune scans the whole ledger, so it makes room for this many more before the next one: at the
// bound, one scan per thousand tokens instead of one per token.
const PRUNE_HEADROOM = 1_000;

/** The ledger of tokens issued by this process, for the counts the dashboard and admin API show. */
export class IssuedTokens {
  readonly #byJti = new Map<string, IssuedToken>();
  #issuedTotal = 0;
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  record(token: IssuedToken): void {
    this.#issuedTotal++;
    this.#byJti.set(token.jti, token);
    if (this.#byJti.size > MAX_TRACKED) this.#prune();
  }

  counts(isHonoured: (token: IssuedToken) => boolean, soonWindowMs = 60_000): TokenCounts {
    const now = this.#clock.now();
    const active = [...this.#byJti.values()].filter((token) => token.expiresAt > now && isHonoured(token));
    const expiringSoon = active
      .filter((token) => token.expiresAt - now <= soonWindowMs)
      .sort((a, b) => a.expiresAt - b.expiresAt);
    return { issued: this.#issuedTotal, active: active.length, expiringSoon };
  }

  #prune(): void {
    const now = this.#clock.now();
    for (const [jti, token] of this.#byJti) if (token.expiresAt <= now) this.#byJti.delete(jti);
    // Still too many live tokens: forget the oldest (they are only left out of the counts).
    for (const jti of this.#byJti.keys()) {
      if (this.#byJti.size <= MAX_TRACKED - PRUNE_HEADROOM) break;
      this.#byJti.delete(jti);
    }
  }
}
