import type { Readable } from 'node:stream';

/** A request whose body is read as sent: its headers and its byte stream. */
export type IdentityEncodedRequest = Readable & { readonly headers: { readonly 'content-length'?: string | undefined } };

/**
 * The body of a request sent without a Content-Encoding, as UTF-8 text: its chunks collected up to
 * `limit`, joined once and decoded once. The refusals are raw-body's, with its statuses, messages and
 * fields, since clients and the error writer know them: 413 when Content-Length or the bytes received
 * pass `limit` (with `limit`), 400 when fewer or more bytes arrive than Content-Length said, 400 when
 * the client aborts. A leading byte order mark is dropped, as raw-body's UTF-8 decoder does.
 */
export function readIdentityBodyText(request: IdentityEncodedRequest, limit: number): Promise<string> {
  const declared = request.headers['content-length'];
  const expected = declared === undefined || declared === '' ? undefined : Number(declared);
  if (expected !== undefined && expected > limit) {
    // Left unread, as raw-body leaves it: the answer is sent and the connection decides the rest.
    return Promise.reject(bodyError(413, 'request entity too large', { expected, length: expected, limit, type: 'entity.too.large' }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const settle = (error: unknown, text?: string): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', settle);
      request.off('aborted', onAborted);
      request.off('close', onAborted);
      if (error === undefined) resolve(text as string);
      else {
        request.pause();
        reject(error);
      }
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) settle(bodyError(413, 'request entity too large', { limit, received, type: 'entity.too.large' }));
      else chunks.push(chunk);
    };
    const onEnd = (): void => {
      if (expected !== undefined && received !== expected) {
        settle(bodyError(400, 'request size did not match content length', { expected, length: expected, received, type: 'request.size.invalid' }));
      } else settle(undefined, utf8Text(chunks, received));
    };
    // A request closed before its end (the client went away) is aborted, whether or not the stream says so first.
    const onAborted = (): void => settle(bodyError(400, 'request aborted', { code: 'ECONNABORTED', expected, length: expected, received, type: 'request.aborted' }));
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', settle);
    request.on('aborted', onAborted);
    request.on('close', onAborted);
  });
}

const BYTE_ORDER_MARK = 0xfeff;

function utf8Text(chunks: readonly Buffer[], length: number): string {
  if (length === 0) return '';
  const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length)).toString('utf8');
  return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
}

function bodyError(status: number, message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: true }, fields);
}
