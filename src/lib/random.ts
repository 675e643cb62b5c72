/**
 * A small seeded pseudo-random source (mulberry32). Fault draws and anything else that must be
 * reproducible take one of these instead of Math.random().
 */
export interface RandomSource {
  /** A float in [0, 1). */
  next(): number;
}

export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Derive a stable 32-bit seed from a base seed and a label, so independent streams do not interfere. */
export function deriveSeed(seed: number, label: string): number {
  let hash = 2166136261 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}
