/**
 * A column of strings most rows lack (a query, a next link), kept by row for the rows that have
 * one: an array with a slot per row grew the old generation by every request the window held.
 */
export class RareColumn {
  #values = new Map<number, string>();

  set(row: number, value: string | undefined): void {
    if (value !== undefined) this.#values.set(row, value);
  }

  get(row: number): string | undefined {
    return this.#values.get(row);
  }

  /** Forgets rows below `count` and numbers the rest from 0. */
  dropOldest(count: number): void {
    if (this.#values.size === 0) return;
    const values = new Map<number, string>();
    for (const [row, value] of this.#values) if (row >= count) values.set(row - count, value);
    this.#values = values;
  }
}
