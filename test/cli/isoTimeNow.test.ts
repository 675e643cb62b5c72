import { describe, expect, it } from 'vitest';
import { isoTimeNow } from '../../src/cli/requestLogLine.js';

/** The formatter read at each instant in turn, on a clock the test moves. */
function formattedAt(instants: readonly number[]): string[] {
  let at = 0;
  const timeNow = isoTimeNow(() => at);
  return instants.map((instant) => {
    at = instant;
    return timeNow();
  });
}

const SECOND_EDGE = Date.UTC(2026, 11, 31, 23, 59, 59, 998);

describe('isoTimeNow', () => {
  it('writes what Date#toISOString writes across millisecond, second, minute and year boundaries', () => {
    const instants = Array.from({ length: 2_100 }, (_, step) => SECOND_EDGE - 50 + step);
    expect(formattedAt(instants)).toEqual(instants.map((instant) => new Date(instant).toISOString()));
  });

  it('follows a clock that jumps back, forward, into another second and repeats an instant', () => {
    const instants = [SECOND_EDGE, SECOND_EDGE, SECOND_EDGE + 1, SECOND_EDGE - 1, SECOND_EDGE + 2, SECOND_EDGE + 1_000, SECOND_EDGE - 86_400_000, SECOND_EDGE + 2, SECOND_EDGE + 3_600_999];
    expect(formattedAt(instants)).toEqual(instants.map((instant) => new Date(instant).toISOString()));
  });

  it('handles instants before 1970, past year 9999 and with a fraction of a millisecond as a Date does', () => {
    const instants = [-1, -999, -1_000, -1_001, 0, 999.75, 1_000.5, -0.5, Date.UTC(10_000, 0, 1) - 1, Date.UTC(10_000, 0, 1), Date.UTC(-1, 5, 1, 0, 0, 0, 7)];
    expect(formattedAt(instants)).toEqual(instants.map((instant) => new Date(instant).toISOString()));
  });

  it('reads the wall clock when no clock is given', () => {
    const before = Date.now();
    const text = isoTimeNow()();
    expect(Date.parse(text)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(text)).toBeLessThanOrEqual(Date.now());
  });
});
