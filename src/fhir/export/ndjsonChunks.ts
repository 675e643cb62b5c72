/** One line of an NDJSON file: JSON bytes without the newline (a StoredRecord is one). */
export interface NdjsonLine {
  readonly byteLength: number;
  /** The bytes themselves, for a line too long to share a chunk. */
  readonly json: Buffer;
  /** Copies the bytes into `target` at `offset`; the offset just after them. */
  copyTo(target: Buffer, offset: number): number;
}

/** A line made outside the store, e.g. an OperationOutcome of the manifest's error file. */
export function jsonLine(value: unknown): NdjsonLine {
  const json = Buffer.from(JSON.stringify(value));
  return { byteLength: json.length, json, copyTo: (target, offset) => offset + json.copy(target, offset) };
}

const NEWLINE = 0x0a;
/**
 * Large enough that a download costs few socket writes (each one that fills the socket waits for a
 * drain: at 64 KiB a download between two processes ran several times slower), small enough that
 * many downloads hold little memory.
 */
export const NDJSON_CHUNK_BYTES = 256 * 1024;

/** The file's size in bytes: every line and its newline. */
export function ndjsonByteLength(lines: readonly NdjsonLine[]): number {
  let bytes = 0;
  for (const line of lines) bytes += line.byteLength + 1;
  return bytes;
}

/**
 * The lines as NDJSON, in chunks of about `chunkBytes`: lines are copied into a fresh chunk until
 * the next one would not fit; a line longer than a chunk goes out as its own bytes. Lazy, so a
 * consumer that pulls only when it has room (a stream with backpressure) holds one chunk at a time.
 */
export function* ndjsonChunks(lines: readonly NdjsonLine[], chunkBytes: number = NDJSON_CHUNK_BYTES): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(chunkBytes);
  let used = 0;
  for (const line of lines) {
    const needed = line.byteLength + 1;
    if (used + needed > chunkBytes && used > 0) {
      yield chunk.subarray(0, used);
      chunk = Buffer.allocUnsafe(chunkBytes);
      used = 0;
    }
    if (needed > chunkBytes) {
      yield line.json;
      yield Buffer.from([NEWLINE]);
      continue;
    }
    used = line.copyTo(chunk, used);
    chunk[used++] = NEWLINE;
  }
  if (used > 0) yield chunk.subarray(0, used);
}
