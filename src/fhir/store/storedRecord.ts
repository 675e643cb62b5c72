import type { Resource } from '../types.js';
import { readDates } from './jsonArena.js';
import type { JsonSpan } from './jsonArena.js';

/**
 * One stored version of a resource: its JSON as served, as UTF-8 bytes outside the V8 heap (a
 * range of a shared buffer, see JsonArena), with its date bounds stored as doubles right after the
 * text (dates are the only values not held in posting lists). The table keeps these fields in
 * columns (RecordColumns) and makes a StoredRecord for each read: a value, valid after the table changes.
 */
export class StoredRecord {
  /** The buffer holding the JSON, usually shared with many other records; the range is [start, end). */
  readonly #bytes: Buffer;
  readonly #start: number;
  readonly #end: number;
  readonly #dateCount: number;

  constructor(
    /** Position in insertion order; the default, stable result order. Only its TypeTable renumbers it (compaction keeps the order). */
    public slot: number,
    readonly id: string,
    json: Pick<JsonSpan, 'bytes' | 'start' | 'end' | 'dateCount'>,
    readonly versionId: number,
    /** Epoch ms of meta.lastUpdated. */
    readonly lastUpdated: number,
  ) {
    this.#bytes = json.bytes;
    this.#start = json.start;
    this.#end = json.end;
    this.#dateCount = json.dateCount;
  }

  /**
   * The date parameters' bounds in one flat array, column after column (TypeTable.dateColumn):
   * [pairs in column 0, start, end, …, pairs in column 1, start, end, …]; empty when the record has none.
   */
  dates(): number[] {
    return readDates(this.#bytes, this.#end, this.#dateCount);
  }

  /** The JSON as served: a view of the stored bytes (made on each call, so keep it no longer than a response). */
  get json(): Buffer {
    return this.#bytes.subarray(this.#start, this.#end);
  }

  get byteLength(): number {
    return this.#end - this.#start;
  }

  /** The JSON as text. */
  text(): string {
    return this.#bytes.toString('utf8', this.#start, this.#end);
  }

  /** A parsed copy, free to change. */
  resource(): Resource {
    return JSON.parse(this.text()) as Resource;
  }

  /** Copies the JSON into `target` at `offset`; the offset just after it. */
  copyTo(target: Buffer, offset: number): number {
    return offset + this.#bytes.copy(target, offset, this.#start, this.#end);
  }
}
