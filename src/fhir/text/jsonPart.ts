import { JsonBytesBuilder } from './jsonBytesBuilder.js';

/**
 * A JSON body assembled but not yet written out: its size (exact in the common case; the builder
 * grows past it otherwise), and how to write itself into a builder. A batch writes its entries' searchsets straight into its own answer this way, where a
 * written-out Bundle would be allocated and then copied a second time. It holds what it writes
 * (stored versions never change), so writing it later gives the same bytes as writing it now.
 */
export interface JsonPart {
  readonly byteLength: number;
  writeTo(body: JsonBytesBuilder): void;
}

/** The part alone, as bytes in a buffer of its size (a small one comes from Node's shared pool). */
export function jsonPartBytes(part: JsonPart): Buffer {
  const body = new JsonBytesBuilder(part.byteLength);
  part.writeTo(body);
  return body.toBuffer();
}
