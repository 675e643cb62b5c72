import type { RandomSource } from '../lib/random.js';
import type { LatencyEffect } from './types.js';

/** A standard normal draw (Box–Muller); 1 - u keeps the logarithm finite. */
export function standardNormal(random: RandomSource): number {
  const u1 = 1 - random.next();
  const u2 = random.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * One delay in whole milliseconds from a latency effect, clamped to [0, min(cap, maxMs)], so a wide
 * normal or lognormal tail can never stall a request beyond what the operator allowed.
 */
export function sampleLatency(effect: LatencyEffect, random: RandomSource, maxMs: number): number {
  let ms: number;
  switch (effect.distribution) {
    case 'fixed':
      ms = effect.ms;
      break;
    case 'uniform':
      ms = effect.min + (effect.max - effect.min) * random.next();
      break;
    case 'normal':
      ms = effect.mean + effect.sd * standardNormal(random);
      break;
    case 'lognormal':
      ms = effect.median * Math.exp(effect.spread * standardNormal(random));
      break;
  }
  const upper = Math.min(effect.cap ?? maxMs, maxMs);
  return Math.round(Math.min(Math.max(ms, 0), upper));
}
