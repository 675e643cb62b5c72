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
  // Cut-offs are kept both as issue serials (exact, for tokens in the ledger) and as times
  // (for tokens the ledger no longer holds, judged by their `iat`, which has only second precision).
  #cutoff: Cutoff = { serial: 0, time: 0 };
  readonly #clientCutoffs = new Map<string, Cutoff>();
  readonly #clock: Clock;
  readonly #nextSerial: () => number;

  constructor(clock: Clock, lifetimeSeconds: number, nextSerial: () => number) {
    this.#clock = clock;
    this.lifetimeSeconds = lifetimeSeconds;
    this.#nextSerial = nextSerial;
  }

  /** "Expire every token issued before now." */
  expireAllNow(): void {
    this.#cutoff = this.#cutoffNow();
  }

  /** Refuse every token a client holds now; new ones it asks for are fine. */
  revokeClientTokens(clientId: string): void {
    this.#clientCutoffs.set(clientId, this.#cutoffNow());
  }

  /** `serial` is the ledger's issue number when the ledger still knows the token. */
  isRevoked(token: { clientId: string; issuedAt: number; serial?: number | undefined }): boolean {
    return isBefore(token, this.#cutoff) || isBefore(token, this.#clientCutoffs.get(token.clientId));
  }

  #cutoffNow(): Cutoff {
    return { serial: this.#nextSerial(), time: this.#clock.now() };
  }
}

interface Cutoff {
  serial: number;
  time: number;
}

function isBefore(token: { issuedAt: number; serial?: number | undefined }, cutoff: Cutoff | undefined): boolean {
  if (!cutoff) return false;
  return token.serial !== undefined ? token.serial < cutoff.serial : token.issuedAt < cutoff.time;
}
