import { formatRequestId, requestIdCounter } from '../http/requestIds.js';
import { RareColumn } from './rareColumn.js';

/**
 * The request ids of the report card's rows, kept as their counters in a typed array: an id string
 * per row outlived the young generation and grew the old one by every request the window held. An
 * id that is not a counter's (NaN in the array) keeps its text beside, by row.
 */
export class RequestIdColumn {
  #counters: Float64Array;
  readonly #others = new RareColumn();

  constructor(rows: number) {
    this.#counters = new Float64Array(rows);
  }

  set(row: number, id: string): void {
    const counter = requestIdCounter(id);
    if (counter !== undefined) {
      this.#counters[row] = counter;
      return;
    }
    this.#counters[row] = Number.NaN;
    this.#others.set(row, id);
  }

  get(row: number): string {
    const counter = this.#counters[row] as number;
    return Number.isNaN(counter) ? (this.#others.get(row) as string) : formatRequestId(counter);
  }

  grow(rows: number): void {
    const grown = new Float64Array(rows);
    grown.set(this.#counters);
    this.#counters = grown;
  }

  /** Moves rows `count…length` to the front. */
  dropOldest(count: number, length: number): void {
    this.#counters.copyWithin(0, count, length);
    this.#others.dropOldest(count);
  }
}
