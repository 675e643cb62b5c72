import { seededRandom, type RandomSource } from '../../lib/random.js';

/** The draws a clinical story needs, on top of one seeded stream (never Math.random). */
export class StoryRandom {
  readonly #source: RandomSource;

  constructor(seed: number) {
    this.#source = seededRandom(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.#source.next();
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#source.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.#source.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.#source.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.#source.next() * items.length)];
    if (item === undefined) throw new TypeError('pick() needs a non-empty list');
    return item;
  }

  /** Up to `count` distinct items, in the order drawn. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = items.slice();
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0) {
      const index = Math.floor(this.#source.next() * pool.length);
      chosen.push(pool[index] as T);
      pool[index] = pool[pool.length - 1] as T;
      pool.pop();
    }
    return chosen;
  }

  /** A string of decimal digits, leading zeros allowed. */
  digits(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += Math.floor(this.#source.next() * 10);
    return text;
  }
}
