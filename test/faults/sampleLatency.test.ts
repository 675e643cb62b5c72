import { describe, expect, it } from 'vitest';
import { sampleLatency, standardNormal } from '../../src/faults/sampleLatency.js';
import type { LatencyEffect } from '../../src/faults/types.js';
import { seededRandom } from '../../src/lib/random.js';

const DRAWS = 20_000;
const MAX = 600_000;

function draws(effect: LatencyEffect, maxMs = MAX): number[] {
  const random = seededRandom(12345);
  return Array.from({ length: DRAWS }, () => sampleLatency(effect, random, maxMs));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

describe('sampleLatency', () => {
  it('fixed is exact', () => {
    expect(new Set(draws({ distribution: 'fixed', ms: 250 }))).toEqual(new Set([250]));
  });

  it('uniform stays inside [min, max] with its median in the middle', () => {
    const values = draws({ distribution: 'uniform', min: 100, max: 300 });
    expect(Math.min(...values)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...values)).toBeLessThanOrEqual(300);
    expect(median(values)).toBeGreaterThan(195);
    expect(median(values)).toBeLessThan(205);
  });

  it('normal centres on its mean with the right spread', () => {
    const values = draws({ distribution: 'normal', mean: 500, sd: 50 });
    expect(median(values)).toBeGreaterThan(495);
    expect(median(values)).toBeLessThan(505);
    const sd = Math.sqrt(mean(values.map((v) => (v - 500) ** 2)));
    expect(sd).toBeGreaterThan(47);
    expect(sd).toBeLessThan(53);
  });

  it('lognormal has the configured median and a long right tail', () => {
    const values = draws({ distribution: 'lognormal', median: 200, spread: 0.6 });
    expect(median(values)).toBeGreaterThan(192);
    expect(median(values)).toBeLessThan(208);
    expect(mean(values)).toBeGreaterThan(median(values));
  });

  it('never goes below 0, above the rule cap or above the engine maximum', () => {
    const wide = draws({ distribution: 'normal', mean: 10, sd: 1000 });
    expect(Math.min(...wide)).toBe(0);
    const capped = draws({ distribution: 'lognormal', median: 1000, spread: 3, cap: 1500 });
    expect(Math.max(...capped)).toBe(1500);
    const engineMax = draws({ distribution: 'uniform', min: 0, max: 10_000, cap: 9_000 }, 2_000);
    expect(Math.max(...engineMax)).toBe(2_000);
  });

  it('the standard normal draw is centred and finite', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: DRAWS }, () => standardNormal(random));
    expect(values.every(Number.isFinite)).toBe(true);
    expect(Math.abs(mean(values))).toBeLessThan(0.03);
  });
});
