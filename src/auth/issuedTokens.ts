import type { Clock } from '../lib/clock.js';

export interface IssuedToken {
  /** Issue order in this process: exact where timestamps tie. */
  serial: number;
  jti: string;
  clientId: string;
  tenantId: string;
  issuedAt: number;
  expiresAt: number;
}

export interface TokenCounts {
  issued: number;
  active: number;
  /** Active tokens expiring within the window, soonest first. */
  expiringSoon: IssuedToken[];
}

// Bounded so a client that loops on the token endpoint cannot grow memory without limit.
const MAX_TRACKED = 10_000;

/** The ledger of tokens issued by this process: exact issue times, and counts for the dashboard. */
export class IssuedTokens {
  readonly #byJti = new Map<string, IssuedToken>();
  #issuedTotal = 0;
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The serial the next recorded token will get. */
  get nextSerial(): number {
    return this.#issuedTotal + 1;
  }

  record(token: Omit<IssuedToken, 'serial'>): IssuedToken {
    this.#issuedTotal++;
    const recorded = { ...token, serial: this.#issuedTotal };
    this.#byJti.set(token.jti, recorded);
    if (this.#byJti.size > MAX_TRACKED) this.#prune();
    return recorded;
  }

  get(jti: string): IssuedToken | undefined {
    return this.#byJti.get(jti);
  }

  counts(isRevoked: (token: IssuedToken) => boolean, soonWindowMs = 60_000): TokenCounts {
    const now = this.#clock.now();
    const active = [...this.#byJti.values()].filter((token) => token.expiresAt > now && !isRevoked(token));
    const expiringSoon = active
      .filter((token) => token.expiresAt - now <= soonWindowMs)
      .sort((a, b) => a.expiresAt - b.expiresAt);
    return { issued: this.#issuedTotal, active: active.length, expiringSoon };
  }

  #prune(): void {
    const now = this.#clock.now();
    for (const [jti, token] of this.#byJti) if (token.expiresAt <= now) this.#byJti.delete(jti);
    // Still too many live tokens: forget the oldest; they still verify by their `iat`.
    for (const jti of this.#byJti.keys()) {
      if (this.#byJti.size <= MAX_TRACKED) break;
      this.#byJti.delete(jti);
    }
  }
}
