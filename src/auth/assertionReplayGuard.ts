import type { Clock } from '../lib/clock.js';

// Assertions live at most five minutes, so this many per client is over 30 token requests a second,
// every second; past it, memory stays bounded and the client is asked to slow down.
export const MAX_LIVE_ASSERTIONS_PER_CLIENT = 10_000;

export type JtiVerdict = 'first-use' | 'replayed' | 'too-many';

/**
 * The `jti` of every accepted client assertion, per client, until that assertion expires: SMART
 * Backend Services refuses a jti seen before for the same client. Expired entries are dropped when a
 * client's list fills up, so each client holds at most MAX_LIVE_ASSERTIONS_PER_CLIENT.
 */
export class AssertionReplayGuard {
  readonly #seen = new Map<string, Map<string, number>>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Records the jti unless the client used it already (and that assertion has not expired yet). */
  remember(clientId: string, jti: string, expiresAt: number): JtiVerdict {
    const now = this.#clock.now();
    let seen = this.#seen.get(clientId);
    if (seen === undefined) {
      seen = new Map();
      this.#seen.set(clientId, seen);
    }
    const earlier = seen.get(jti);
    if (earlier !== undefined && earlier > now) return 'replayed';
    if (seen.size >= MAX_LIVE_ASSERTIONS_PER_CLIENT) {
      for (const [oldJti, until] of seen) if (until <= now) seen.delete(oldJti);
      if (seen.size >= MAX_LIVE_ASSERTIONS_PER_CLIENT) return 'too-many';
    }
    seen.set(jti, expiresAt);
    return 'first-use';
  }
}
