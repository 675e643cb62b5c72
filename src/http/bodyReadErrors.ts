/**
 * A body reader's error as the client's answer: its own status when it has one (413, 415, bad JSON),
 * else a 400 naming the encoding, so a body that cannot be read as sent (gzip or deflate that does not
 * decompress, a stream that breaks off) is the client's 400 on every route family, not an unexplained 500.
 */
export function asBodyReadError(error: unknown, contentEncoding: string): unknown {
  if (hasStatus(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`the request body could not be read with Content-Encoding ${contentEncoding || 'identity'}: ${reason}`), { status: 400, expose: true });
}

function hasStatus(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600;
}
