import type { JsonSpan } from './jsonArena.js';
import { StoredRecord } from './storedRecord.js';

const FIRST_CAPACITY = 64;
const EMPTY = -1;

/**
 * A table's records by slot as typed-array columns (where the JSON lies, version, lastUpdated) and
 * one array of ids, instead of one object per record: a 100,000-patient tenant's 3.6 million records
 * cost the garbage collector a few dozen objects rather than millions. A StoredRecord is made when a
 * read asks for one; it holds its own copy of the fields, so it stays valid after the slot changes.
 */
export class RecordColumns {
  #count = 0;
  /** Per slot: index into #buffers, or EMPTY for an empty slot. */
  #bufferOf = new Int32Array(0);
  #start = new Int32Array(0);
  #end = new Int32Array(0);
  #dateCount = new Int32Array(0);
  #version = new Int32Array(0);
  #lastUpdated = new Float64Array(0);
  #ids: Array<string | undefined> = [];
  /** The buffers records lie in: arena chunks (shared by many records) and edits' own buffers. */
  readonly #buffers: Array<Buffer | undefined> = [];
  /** Per buffer index: true for an arena chunk, which is never released. */
  readonly #shared: boolean[] = [];
  /** Indexes of released own buffers, reused before the list grows. */
  readonly #freeBuffers: number[] = [];
  #lastShared = EMPTY;

  /** Slots run from 0 to count - 1. */
  get count(): number {
    return this.#count;
  }

  isLive(slot: number): boolean {
    return slot >= 0 && slot < this.#count && this.#bufferOf[slot] !== EMPTY;
  }

  idAt(slot: number): string | undefined {
    return this.isLive(slot) ? this.#ids[slot] : undefined;
  }

  versionAt(slot: number): number {
    return this.#version[slot] as number;
  }

  recordAt(slot: number): StoredRecord | undefined {
    if (!this.isLive(slot)) return undefined;
    const bytes = this.#buffers[this.#bufferOf[slot] as number] as Buffer;
    const json = { bytes, start: this.#start[slot] as number, end: this.#end[slot] as number, dateCount: this.#dateCount[slot] as number };
    return new StoredRecord(slot, this.#ids[slot] as string, json, this.#version[slot] as number, this.#lastUpdated[slot] as number);
  }

  /** Stores a record in `slot` (at most count: count appends), releasing the own buffer it replaces. */
  set(slot: number, id: string, json: JsonSpan, versionId: number, lastUpdated: number): void {
    if (slot === this.#count) {
      if (slot === this.#bufferOf.length) this.#grow();
      this.#count++;
    } else {
      this.#release(slot);
    }
    this.#bufferOf[slot] = this.#bufferIndex(json);
    this.#start[slot] = json.start;
    this.#end[slot] = json.end;
    this.#dateCount[slot] = json.dateCount;
    this.#version[slot] = versionId;
    this.#lastUpdated[slot] = lastUpdated;
    this.#ids[slot] = id;
  }

  clear(slot: number): void {
    this.#release(slot);
    this.#bufferOf[slot] = EMPTY;
    this.#ids[slot] = undefined;
  }

  /**
   * Moves the live records to slots 0…n-1, keeping their order; returns the old slot → new slot
   * mapping (only live slots' entries mean anything).
   */
  compact(): Int32Array {
    const renumbered = new Int32Array(this.#count);
    let next = 0;
    for (let slot = 0; slot < this.#count; slot++) {
      if (this.#bufferOf[slot] === EMPTY) continue;
      renumbered[slot] = next;
      if (slot !== next) {
        this.#bufferOf[next] = this.#bufferOf[slot] as number;
        this.#start[next] = this.#start[slot] as number;
        this.#end[next] = this.#end[slot] as number;
        this.#dateCount[next] = this.#dateCount[slot] as number;
        this.#version[next] = this.#version[slot] as number;
        this.#lastUpdated[next] = this.#lastUpdated[slot] as number;
        this.#ids[next] = this.#ids[slot];
      }
      next++;
    }
    this.#count = next;
    this.#ids.length = next;
    return renumbered;
  }

  #grow(): void {
    const capacity = Math.max(FIRST_CAPACITY, this.#bufferOf.length * 2);
    this.#bufferOf = grown(this.#bufferOf, new Int32Array(capacity));
    this.#start = grown(this.#start, new Int32Array(capacity));
    this.#end = grown(this.#end, new Int32Array(capacity));
    this.#dateCount = grown(this.#dateCount, new Int32Array(capacity));
    this.#version = grown(this.#version, new Int32Array(capacity));
    this.#lastUpdated = grown(this.#lastUpdated, new Float64Array(capacity));
  }

  #bufferIndex(json: JsonSpan): number {
    if (json.shared && this.#lastShared !== EMPTY && this.#buffers[this.#lastShared] === json.bytes) return this.#lastShared;
    const index = json.shared ? this.#buffers.length : (this.#freeBuffers.pop() ?? this.#buffers.length);
    this.#buffers[index] = json.bytes;
    this.#shared[index] = json.shared;
    if (json.shared) this.#lastShared = index;
    return index;
  }

  /** An edit's own buffer goes with the record that held it (a snapshot's copy of the record keeps it alive). */
  #release(slot: number): void {
    const index = this.#bufferOf[slot] as number;
    if (index === EMPTY || this.#shared[index] === true) return;
    this.#buffers[index] = undefined;
    this.#freeBuffers.push(index);
  }
}

function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
