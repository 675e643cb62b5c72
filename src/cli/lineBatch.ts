import { jsonString } from '../lib/jsonString.js';

/**
 * Log lines gathered as UTF-8 bytes in one buffer and handed to the destination in large writes:
 * a write per line cost several times the line's own formatting (the destination's bookkeeping and
 * a syscall every few lines). A line is written into the buffer as it comes, piece by piece, with
 * the pieces that repeat from line to line copied as bytes they were encoded to once: a batch
 * gathered as one long string had to be flattened, measured and encoded again at every write,
 * which cost more than building its lines.
 */
export interface LineBatch {
  /** Appends a whole line (its text ends with "\n"). */
  append(line: string): void;
  /** Appends a piece of the current line, as UTF-8. */
  text(piece: string): void;
  /** Appends `piece` as a JSON string, byte for byte as `jsonString` writes it. */
  jsonString(piece: string): void;
  /** Appends a piece of the current line that is already UTF-8. */
  bytes(piece: Uint8Array): void;
  /** Appends a number as `String(value)` writes it. */
  number(value: number): void;
  /** Ends the current line; a batch past its size goes to the destination. */
  endLine(): void;
  /** Hands the whole lines gathered to the destination now (before another kind of line, on a timer, at close). */
  flush(): void;
}

// UTF-8 takes at most three bytes for each UTF-16 code unit of a JS string.
const MAX_BYTES_PER_CHAR = 3;
// Pieces up to this long (a time, an id) are copied a character at a time: cheaper than a call
// into the encoder, which costs as much as copying a few hundred characters.
const SHORT_PIECE = 64;
const DIGIT_ZERO = 0x30;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
// Printable ASCII: the characters JSON writes as they are (but quote and backslash).
const FIRST_PLAIN = 0x20;
const LAST_PLAIN = 0x7e;
const DECIMAL_POINT = 0x2e;
// Up to 15 significant digits a decimal is the only one that short naming its double, so the
// number's own text is its digits (beyond that, and in exponent notation, String() decides).
const MAX_PLAIN_HUNDREDTHS = 1e15;

/**
 * `write` gets each batch as a Buffer of its own, which it may keep. A batch is handed on once it
 * holds `batchBytes`; a line never straddles two batches.
 */
export function lineBatch(write: (bytes: Buffer) => void, batchBytes: number): LineBatch {
  // Room for a full batch and the line that completes it; a longer line grows the buffer.
  let buffer = Buffer.allocUnsafe(2 * batchBytes);
  let used = 0;
  let lineStart = 0;

  const flush = (): void => {
    if (lineStart === 0) return;
    write(Buffer.from(buffer.subarray(0, lineStart)));
    // The unfinished line, if any, moves to the front.
    buffer.copyWithin(0, lineStart, used);
    used -= lineStart;
    lineStart = 0;
  };
  const makeRoom = (bytes: number): void => {
    if (used + bytes <= buffer.length) return;
    flush();
    if (used + bytes <= buffer.length) return;
    const grown = Buffer.allocUnsafe(2 * (used + bytes));
    buffer.copy(grown, 0, 0, used);
    buffer = grown;
  };
  const encode = (piece: string): void => {
    if (used + piece.length * MAX_BYTES_PER_CHAR > buffer.length) makeRoom(Buffer.byteLength(piece));
    used += buffer.write(piece, used);
  };
  const text = (piece: string): void => {
    const length = piece.length;
    if (length > SHORT_PIECE) {
      encode(piece);
      return;
    }
    makeRoom(length);
    for (let index = 0; index < length; index++) {
      const code = piece.charCodeAt(index);
      if (code >= 0x80) {
        encode(piece.slice(index));
        return;
      }
      buffer[used++] = code;
    }
  };
  // A short piece is checked as it is copied between its quotes; one that needs escaping or
  // encoding is taken back and written as jsonString writes it.
  const quoted = (piece: string): void => {
    const length = piece.length;
    if (length <= SHORT_PIECE) {
      makeRoom(length + 2);
      const start = used;
      buffer[used++] = QUOTE;
      let index = 0;
      for (; index < length; index++) {
        const code = piece.charCodeAt(index);
        if (code < FIRST_PLAIN || code > LAST_PLAIN || code === QUOTE || code === BACKSLASH) break;
        buffer[used++] = code;
      }
      if (index === length) {
        buffer[used++] = QUOTE;
        return;
      }
      used = start;
    }
    text(jsonString(piece));
  };
  /** A non-negative integer's decimal digits. */
  const digits = (integer: number): void => {
    let divisor = 1;
    while (divisor * 10 <= integer) divisor *= 10;
    makeRoom(16);
    for (; divisor >= 1; divisor /= 10) {
      const digit = Math.floor(integer / divisor);
      buffer[used++] = DIGIT_ZERO + digit;
      integer -= digit * divisor;
    }
  };
  // Durations are rounded to hundredths, instants are whole milliseconds: both are digits and at
  // most two decimals, written without making the string that String() would.
  const number = (value: number): void => {
    const hundredths = Math.round(value * 100);
    if (!(hundredths >= 0 && hundredths < MAX_PLAIN_HUNDREDTHS && hundredths / 100 === value)) {
      encode(String(value));
      return;
    }
    const whole = Math.floor(hundredths / 100);
    const fraction = hundredths - whole * 100;
    digits(whole);
    if (fraction === 0) return;
    makeRoom(3);
    buffer[used++] = DECIMAL_POINT;
    buffer[used++] = DIGIT_ZERO + Math.floor(fraction / 10);
    if (fraction % 10 !== 0) buffer[used++] = DIGIT_ZERO + (fraction % 10);
  };
  const endLine = (): void => {
    lineStart = used;
    if (used >= batchBytes) flush();
  };
  return {
    append(line) {
      text(line);
      endLine();
    },
    text,
    jsonString: quoted,
    bytes(piece) {
      makeRoom(piece.length);
      buffer.set(piece, used);
      used += piece.length;
    },
    number,
    endLine,
    flush,
  };
}
