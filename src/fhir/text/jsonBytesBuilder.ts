/** Bytes that can copy themselves into a buffer (a stored record) without a view or a copy of their own. */
export interface ByteSource {
  readonly byteLength: number;
  copyTo(target: Buffer, offset: number): number;
}

const FIRST_CAPACITY = 16 * 1024;

/**
 * A response body (Bundle, batch-response) from JSON text and already-serialised parts, written
 * straight into one buffer: stored bytes are copied once, never decoded into strings and encoded
 * back. Text between two parts is joined first, so an entry costs one write and one copy; sizing
 * by an upper bound (3 bytes per UTF-16 unit) saves measuring each piece first.
 */
export class JsonBytesBuilder {
  #out: Buffer;
  #length = 0;
  #text = '';

  /** `capacity`: the expected size, when the caller knows it, so the buffer need not grow. */
  constructor(capacity = FIRST_CAPACITY) {
    this.#out = Buffer.allocUnsafe(capacity);
  }

  text(text: string): this {
    this.#text += text;
    return this;
  }

  /** Bytes already serialised: a Buffer, or a record that copies its own. */
  bytes(part: Buffer | ByteSource): this {
    this.#flushText();
    this.#reserve(part.byteLength);
    if (Buffer.isBuffer(part)) {
      // A whole Buffer goes in with one typed-array set: Buffer#copy validates its arguments and makes a view of the source on every call.
      this.#out.set(part, this.#length);
      this.#length += part.length;
    } else this.#length = part.copyTo(this.#out, this.#length);
    return this;
  }

  /**
   * Text the caller knows to be ASCII (an id checked against FHIR's id pattern, say), written a byte
   * per character: for a short piece this is cheaper than a call into the UTF-8 encoder.
   */
  ascii(text: string): this {
    this.#flushText();
    this.#reserve(text.length);
    const out = this.#out;
    const at = this.#length;
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
    this.#length = at + text.length;
    return this;
  }

  /**
   * Lets `write` put at most `maxBytes` straight into the buffer from `at` on, and returns where it
   * stopped: for a run of many small parts (a searchset's entries), where a call per part here cost
   * more than copying the part.
   */
  direct(maxBytes: number, write: (out: Buffer, at: number) => number): this {
    this.#flushText();
    this.#reserve(maxBytes);
    this.#length = write(this.#out, this.#length);
    return this;
  }

  /** The body so far; a view of the builder's buffer, so build nothing more after it. */
  toBuffer(): Buffer {
    this.#flushText();
    return this.#out.subarray(0, this.#length);
  }

  #flushText(): void {
    if (this.#text === '') return;
    // 3 bytes per UTF-16 unit always suffice; the text is measured only when that bound does not fit, so an exactly sized buffer does not grow.
    this.#reserve(this.#out.length - this.#length >= this.#text.length * 3 ? 0 : Buffer.byteLength(this.#text));
    this.#length += this.#out.write(this.#text, this.#length);
    this.#text = '';
  }

  #reserve(bytes: number): void {
    if (this.#out.length - this.#length >= bytes) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#out.length * 2, this.#length + bytes));
    this.#out.copy(grown, 0, 0, this.#length);
    this.#out = grown;
  }
}
