import type { IncomingMessage } from 'node:http';
import coBody from 'co-body';
import { asBodyReadError } from './bodyReadErrors.js';

/**
 * A request body read with co-body (gzip and deflate decoded, 413 past `limit`), as parsed JSON or
 * as text, with every read failure turned into the client's answer (asBodyReadError). A client that
 * closed its request before the body was read gets 499: nobody reads it, but the log shows why.
 */
export async function readRequestBody(request: IncomingMessage, as: 'json' | 'text', options: coBody.Options): Promise<unknown> {
  if (request.closed) throw Object.assign(new Error('the client closed the request before its body was read'), { status: 499, expose: true });
  try {
    return as === 'json' ? await coBody.json(request, options) : await coBody.text(request, options);
  } catch (error) {
    throw asBodyReadError(error, request.headers['content-encoding'] ?? '');
  }
}
