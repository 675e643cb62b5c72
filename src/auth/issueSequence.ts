import type { Clock } from '../lib/clock.js';

/**
 * Strictly increasing issue numbers read from the true clock: microseconds since the epoch, bumped
 * by one when two would tie. Every token carries its number in a signed claim (`seq`), and every
 * revocation cut-off takes one, so "issued before the cut-off" is one exact comparison: no second-
 * precision `iat`, no clock skew, no ledger entry involved. A restarted sandbox reads a later clock,
 * so its numbers stay above those of tokens signed before the restart (with --signing-key).
 */
export class IssueSequence {
  #last = 0;
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  next(): number {
    this.#last = Math.max(Math.floor(this.#clock.now()) * 1000, this.#last + 1);
    return this.#last;
  }
}
