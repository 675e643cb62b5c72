import type { IncomingMessage } from 'node:http';
import coBody from 'co-body';
import { asBodyReadError } from './bodyReadErrors.js';
import { readIdentityBodyText } from './identityBodyText.js';
import { parseStrictJsonBody } from './strictJsonBody.js';

export interface BodyReadOptions {
  /** Bytes past this are refused with 413. */
  readonly limit: number;
}

/**
 * A request body as parsed JSON (co-body's strict rules) or as UTF-8 text, with every read failure
 * turned into the client's answer (asBodyReadError). A body sent as it is (no Content-Encoding, or
 * `identity`: nearly every request) is read directly; gzip, deflate and br, and encodings to refuse
 * with 415, go through co-body. A client that closed its request before the body was read gets 499:
 * nobody reads it, but the log shows why.
 */
export async function readRequestBody(request: IncomingMessage, as: 'json' | 'text', options: BodyReadOptions): Promise<unknown> {
  if (request.closed) throw Object.assign(new Error('the client closed the request before its body was read'), { status: 499, expose: true });
  const encoding = request.headers['content-encoding'];
  try {
    if (encoding === undefined || encoding === '' || encoding === 'identity') {
      const text = await readIdentityBodyText(request, options.limit);
      return as === 'json' ? parseStrictJsonBody(text) : text;
    }
    const coBodyOptions = { limit: options.limit, encoding: 'utf-8' } as const;
    return as === 'json' ? await coBody.json(request, coBodyOptions) : await coBody.text(request, coBodyOptions);
  } catch (error) {
    throw asBodyReadError(error, encoding ?? '');
  }
}
