import { Agent, request } from 'undici';
import type { Clock } from '../lib/clock.js';

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * One request and what came of it. `status` is undefined when no answer arrived; `failure` then says
 * why. With a status, `failure` means the body broke off (its text is then empty).
 */
export interface Exchange {
  request: OutgoingRequest;
  status?: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  contentType?: string;
  text: string;
  failure?: string;
  ms: number;
}

export interface HttpTransport {
  send(request: OutgoingRequest): Promise<Exchange>;
  close(): Promise<void>;
}

export interface TransportOptions {
  /** Longest wait for one whole answer. */
  timeoutMs: number;
  /** Accept any TLS certificate (self-signed test environments). */
  insecure: boolean;
  clock: Clock;
}

// Answers are read whole to be checked; one larger than this is cut off and reported as such.
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * HTTP with undici: one connection pool per run, TLS verification that --insecure can turn off, and
 * every failure turned into a sentence the report can show.
 */
export function createHttpTransport(options: TransportOptions): HttpTransport {
  const agent = new Agent({
    connect: { rejectUnauthorized: !options.insecure, timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  return {
    async send(outgoing) {
      const started = options.clock.now();
      const elapsed = () => Math.max(0, options.clock.now() - started);
      try {
        const answer = await request(outgoing.url, {
          method: outgoing.method,
          headers: outgoing.headers,
          body: outgoing.body,
          dispatcher: agent,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        const headers = flattenHeaders(answer.headers);
        const exchange: Exchange = { request: outgoing, status: answer.statusCode, headers, contentType: headers['content-type'], text: '', ms: 0 };
        try {
          exchange.text = await readText(answer.body);
        } catch (error) {
          // The partner answered, then the body broke off: reachable, but this answer is unusable.
          exchange.failure = describeFailure(error, options.timeoutMs);
        }
        exchange.ms = elapsed();
        return exchange;
      } catch (error) {
        return { request: outgoing, headers: {}, text: '', failure: describeFailure(error, options.timeoutMs), ms: elapsed() };
      }
    },
    close: () => agent.close(),
  };
}

async function readText(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error(`the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`), { code: 'CHECK_TOO_LARGE' });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

const TLS_CODES = /CERT|SELF_SIGNED|TLS|SSL|UNABLE_TO_VERIFY|ALTNAME/;

/** What went wrong, in words a person reading the report can act on. */
export function describeFailure(error: unknown, timeoutMs: number): string {
  const { code, message, name } = errorFacts(error);
  if (name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `no answer within ${timeoutMs} ms`;
  }
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused: nothing listens there (ECONNREFUSED)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name does not resolve (${code})`;
    case 'ECONNRESET':
      return 'the server reset the connection (ECONNRESET)';
    case 'UND_ERR_SOCKET':
      return `the connection closed before the answer was complete (${message})`;
    case 'CHECK_TOO_LARGE':
      return message;
    default:
      if (code !== undefined && TLS_CODES.test(code)) return `TLS: ${message} (${code}); --insecure accepts a self-signed test certificate`;
      return code === undefined ? message : `${message} (${code})`;
  }
}

/** undici puts the socket's own error (with the errno code) in `cause`. */
function errorFacts(error: unknown): { code?: string; message: string; name?: string } {
  const outer = error as { code?: unknown; message?: unknown; name?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  const cause = outer?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : typeof outer?.code === 'string' ? outer.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : typeof outer?.message === 'string' ? outer.message : String(error);
  return { code, message, name: typeof outer?.name === 'string' ? outer.name : undefined };
}
