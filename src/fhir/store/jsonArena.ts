/**
 * Where one stored JSON text lies: a byte range of a buffer that usually holds many others. The
 * record's date bounds follow the text as little-endian doubles, [end, end + 8 × dateCount).
 */
export interface JsonSpan {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
  readonly dateCount: number;
  /** True for an arena chunk, which many records share and none releases. */
  readonly shared: boolean;
}

/** Puts a record's text, followed by its date bounds, where it will be kept. */
export type PlaceJson = (text: string, dates: readonly number[]) => JsonSpan;

export const DATE_BYTES = 8;
const NO_DATES: readonly number[] = Object.freeze([]) as readonly number[];

const FIRST_CHUNK_BYTES = 64 * 1024;
const LARGEST_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Append-only UTF-8 storage for bulk-loaded JSON, outside the V8 heap. A 100,000-patient tenant
 * holds 3.6 million texts: as strings they filled most of the heap and kept the garbage collector
 * busy; as one Buffer each they would cost a ~100-byte view object apiece. Here they share a few
 * hundred large chunks, and a record keeps only its chunk and offsets. Chunks grow from 64 KB, so a
 * small test store stays small. Space is never reused: replaced records leave their bytes behind,
 * which is why edits get buffers of their own (ownJson) rather than arena space.
 */
export class JsonArena {
  #chunk: Buffer = Buffer.allocUnsafeSlow(0);
  #used = 0;

  append(text: string, dates: readonly number[] = NO_DATES): JsonSpan {
    const needed = bytesShortFor(this.#chunk, this.#used, text, dates.length);
    if (needed > 0) this.#grow(needed);
    const start = this.#used;
    const end = writeTextAndDates(this.#chunk, start, text, dates);
    this.#used = end + dates.length * DATE_BYTES;
    return { bytes: this.#chunk, start, end, dateCount: dates.length, shared: true };
  }

  #grow(needed: number): void {
    const size = Math.max(needed, Math.min(LARGEST_CHUNK_BYTES, Math.max(FIRST_CHUNK_BYTES, this.#chunk.length * 2)));
    this.#chunk = Buffer.allocUnsafeSlow(size);
    this.#used = 0;
  }
}

/** A text (and its dates) in an exact-size buffer of its own, freed with the record (edits, which replace each other). */
export function ownJson(text: string, dates: readonly number[] = NO_DATES): JsonSpan {
  const end = Buffer.byteLength(text);
  // Not Buffer.from: small ones are cut from a shared 8 KB pool, which one kept record would pin.
  const bytes = Buffer.allocUnsafeSlow(end + dates.length * DATE_BYTES);
  writeTextAndDates(bytes, 0, text, dates);
  return { bytes, start: 0, end, dateCount: dates.length, shared: false };
}

/** The `count` date bounds stored after a text that ends at `end`. */
export function readDates(bytes: Buffer, end: number, count: number): number[] {
  const dates = new Array<number>(count);
  for (let i = 0; i < count; i++) dates[i] = bytes.readDoubleLE(end + i * DATE_BYTES);
  return dates;
}

/**
 * 0 when a text and `dateCount` date bounds fit in `chunk` after `used`; otherwise the bytes they
 * take. UTF-16 code units never take more than 3 UTF-8 bytes: only count exactly near a chunk's end.
 */
export function bytesShortFor(chunk: Buffer, used: number, text: string, dateCount: number): number {
  const room = chunk.length - used;
  const dateBytes = dateCount * DATE_BYTES;
  if (room >= text.length * 3 + dateBytes) return 0;
  const needed = Buffer.byteLength(text) + dateBytes;
  return room < needed ? needed : 0;
}

/** Writes a text at `at` with its date bounds after it (the layout readDates reads); returns the text's end. */
export function writeTextAndDates(bytes: Buffer, at: number, text: string, dates: readonly number[]): number {
  const end = at + bytes.write(text, at);
  let offset = end;
  for (const bound of dates) offset = bytes.writeDoubleLE(bound, offset);
  return end;
}
