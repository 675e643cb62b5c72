/** Where one stored JSON text lies: a byte range of a buffer that usually holds many others. */
export interface JsonSpan {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
}

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

  append(text: string): JsonSpan {
    // UTF-16 code units never take more than 3 UTF-8 bytes: only count exactly near a chunk's end.
    if (this.#chunk.length - this.#used < text.length * 3) {
      const needed = Buffer.byteLength(text);
      if (this.#chunk.length - this.#used < needed) this.#grow(needed);
    }
    const start = this.#used;
    this.#used += this.#chunk.write(text, start);
    return { bytes: this.#chunk, start, end: this.#used };
  }

  #grow(needed: number): void {
    const size = Math.max(needed, Math.min(LARGEST_CHUNK_BYTES, Math.max(FIRST_CHUNK_BYTES, this.#chunk.length * 2)));
    this.#chunk = Buffer.allocUnsafeSlow(size);
    this.#used = 0;
  }
}

/** A text in an exact-size buffer of its own, freed with the record (edits, which replace each other). */
export function ownJson(text: string): JsonSpan {
  // Not Buffer.from: small ones are cut from a shared 8 KB pool, which one kept record would pin.
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return { bytes, start: 0, end: bytes.length };
}
