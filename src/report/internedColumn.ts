/**
 * A column of strings kept as numbers into a table of its distinct values: the same tenant, client,
 * token, host or route repeats on most requests, and a number in a typed array is no object for the
 * garbage collector to copy and trace. Code 0 stands for "absent".
 */
export class InternedColumn {
  #codes: Int32Array;
  readonly #codeOf = new Map<string, number>();
  #values: Array<string | undefined> = [undefined];
  // Most rows repeat the row before: that value's code is kept at hand, skipping the table. Code 0
  // here means none is at hand; the value is always a string, so comparing it with the row's is a
  // string comparison (identical strings cost a pointer check), not a generic one.
  #lastValue = '';
  #lastCode = 0;

  constructor(rows: number) {
    this.#codes = new Int32Array(rows);
  }

  set(row: number, value: string | undefined): void {
    if (value === undefined) {
      this.#codes[row] = 0;
      return;
    }
    if (value !== this.#lastValue || this.#lastCode === 0) {
      this.#lastValue = value;
      this.#lastCode = this.#code(value);
    }
    this.#codes[row] = this.#lastCode;
  }

  get(row: number): string | undefined {
    return this.#values[this.#codes[row] as number];
  }

  grow(rows: number): void {
    const grown = new Int32Array(rows);
    grown.set(this.#codes);
    this.#codes = grown;
  }

  /** Moves rows `count…length` to the front; a table holding more values than rows are left keeps only theirs. */
  dropOldest(count: number, length: number): void {
    this.#codes.copyWithin(0, count, length);
    const kept = length - count;
    // Paths of many patients would otherwise keep every value the column ever saw.
    if (this.#values.length - 1 <= kept) return;
    const values = this.#values;
    this.#codeOf.clear();
    this.#values = [undefined];
    this.#lastValue = '';
    this.#lastCode = 0;
    for (let row = 0; row < kept; row++) this.#codes[row] = this.#code(values[this.#codes[row] as number]);
  }

  #code(value: string | undefined): number {
    if (value === undefined) return 0;
    let code = this.#codeOf.get(value);
    if (code === undefined) {
      code = this.#values.length;
      this.#codeOf.set(value, code);
      this.#values.push(value);
    }
    return code;
  }
}
