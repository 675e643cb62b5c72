import { describe, expect, it } from 'vitest';
import { isoInstant } from '../../src/fhir/text/isoInstant.js';

describe('isoInstant', () => {
  it('reads exactly as Date#toISOString, within a second, across seconds and before 1970', () => {
    const instants = [0, 1, 9, 10, 99, 100, 999, 1000, 1_764_700_000_000, 1_764_700_000_001, 1_764_700_000_999, 1_764_700_001_000, -1, -999, -1000, -1001, 253_402_300_799_999];
    for (const instant of instants) expect(isoInstant(instant)).toBe(new Date(instant).toISOString());
    // The same second again after another one: the remembered text is replaced, never mixed up.
    expect(isoInstant(1_764_700_000_500)).toBe('2025-12-02T18:26:40.500Z');
    expect(isoInstant(5_000)).toBe('1970-01-01T00:00:05.000Z');
  });

  it('refuses what is not a time, as Date#toISOString does', () => {
    expect(() => isoInstant(Number.NaN)).toThrow(RangeError);
  });
});
