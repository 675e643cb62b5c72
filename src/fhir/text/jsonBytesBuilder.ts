/** Bytes that can copy themselves into a buffer (a stored record) without a view or a copy of their own. */
export interface ByteSource {
  readonly byteLength: number;
  copyTo(target: Buffer, offset: number): number;
}

/**
 * A response body (Bundle, batch-response) from JSON text and already-serialised parts, in one
 * exact-size Buffer: stored bytes are copied once, and never decoded into strings and encoded back.
 * Text between two parts is joined first, so most entries cost one write and one copy.
 */
export class JsonBytesBuilder {
  readonly #pieces: Array<string | Buffer | ByteSource> = [];
  #text = '';
  #length = 0;

  text(text: string): this {
    this.#text += text;
    return this;
  }

  /** Bytes already serialised: a Buffer, or a record that copies its own. */
  bytes(part: Buffer | ByteSource): this {
    this.#flushText();
    this.#pieces.push(part);
    this.#length += part.byteLength;
    return this;
  }

  toBuffer(): Buffer {
    this.#flushText();
    const out = Buffer.allocUnsafe(this.#length);
    let at = 0;
    for (const piece of this.#pieces) {
      if (typeof piece === 'string') at += out.write(piece, at);
      else if (Buffer.isBuffer(piece)) at += piece.copy(out, at);
      else at = piece.copyTo(out, at);
    }
    return out;
  }

  #flushText(): void {
    if (this.#text === '') return;
    this.#pieces.push(this.#text);
    this.#length += Buffer.byteLength(this.#text);
    this.#text = '';
  }
}
