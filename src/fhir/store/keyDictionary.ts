/** Separates keys in the haystack; normalised search keys never contain it. */
const SEPARATOR = '\u0000';

/**
 * All distinct keys of one string parameter joined into one string, so that a substring or prefix
 * search over thousands of names is a few native indexOf calls instead of a loop over a Map.
 * Built on first use and rebuilt only after the set of keys changed. Answers with what the map
 * holds for each matching key (its posting list, or the list's number).
 */
export class KeyDictionary<T> {
  readonly #haystack: string;
  readonly #lists: readonly T[];
  /** Where each key starts in the haystack (just after its separator). */
  readonly #starts: Int32Array;

  constructor(postings: ReadonlyMap<string, T>) {
    const keys = [...postings.keys()];
    const starts = new Int32Array(keys.length);
    let at = 1;
    keys.forEach((key, i) => {
      starts[i] = at;
      at += key.length + 1;
    });
    this.#lists = [...postings.values()];
    this.#starts = starts;
    this.#haystack = SEPARATOR + keys.join(SEPARATOR) + SEPARATOR;
  }

  /** What the map holds for the keys that contain (or start with) any of the values, each key once. */
  matching(values: readonly string[], mode: 'contains' | 'starts-with'): T[] {
    const found = new Set<number>();
    for (const value of values) {
      if (value.includes(SEPARATOR)) continue;
      const needle = mode === 'starts-with' ? SEPARATOR + value : value;
      const skip = mode === 'starts-with' ? 1 : 0;
      let from = 0;
      for (;;) {
        const at = this.#haystack.indexOf(needle, from);
        if (at < 0) break;
        const index = this.#keyAt(at + skip);
        found.add(index);
        // Continue after this key: one hit per key is enough.
        from = index + 1 < this.#starts.length ? (this.#starts[index + 1] as number) - (skip === 1 ? 1 : 0) : this.#haystack.length;
      }
    }
    return [...found].sort((a, b) => a - b).map((index) => this.#lists[index] as T);
  }

  #keyAt(position: number): number {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if ((this.#starts[mid] as number) <= position) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
