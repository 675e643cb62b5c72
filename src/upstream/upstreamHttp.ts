import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Agent } from 'undici';
import { UpstreamError } from './upstreamError.js';

type Undici = typeof import('undici');

// undici is loaded when the first upstream tenant is opened, not at start-up: a profile without upstream
// tenants never needs it, and loading it (it also pulls in Node's own fetch) is a tenth of a start's
// module loading. Until then no undici error can exist, so the checks below need not know its classes.
let undici: Undici | undefined;
async function loadUndici(): Promise<Undici> {
  undici ??= await import('undici');
  return undici;
}

export type UpstreamMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface UpstreamHttpRequest {
  method: UpstreamMethod;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Aborts the call: the client that asked went away. */
  signal?: AbortSignal;
}

export interface UpstreamHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as it arrives; whoever gets it must read it to the end or destroy it. */
  body: Readable;
}

/**
 * One upstream's HTTP client: a keep-alive connection pool (undici) whose connect, header and body
 * waits are all bounded by the tenant's timeout, and whose failures are UpstreamErrors that say what
 * went wrong in words an operator can act on.
 */
export class UpstreamHttp {
  readonly #agent: Promise<Agent>;
  readonly #timeoutMs: number;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    this.#agent = loadUndici().then(
      ({ Agent }) => new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 10_000 }),
    );
  }

  async send(call: UpstreamHttpRequest): Promise<UpstreamHttpResponse> {
    const host = new URL(call.url).host;
    const dispatcher = await this.#agent;
    const { request } = await loadUndici();
    try {
      const response = await request(call.url, {
        method: call.method,
        headers: call.headers,
        body: call.body ?? null,
        signal: call.signal ?? null,
        dispatcher,
      });
      // undici's reading errors (a body timeout, a reset) surface on the stream as they are: name the host there too.
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      throw describeFailure(error, host, this.#timeoutMs);
    }
  }

  /** Closes idle connections; calls under way finish first. */
  async close(): Promise<void> {
    await (await this.#agent).close();
  }
}

/** Abandons an answer nobody will read: undici reports the abort on the stream, which is expected here. */
export function discard(body: Readable): void {
  body.once('error', () => undefined);
  body.destroy();
}

/** Whether a call failed because its caller aborted it (the client that asked went away). */
export function isAbortedByCaller(error: unknown): boolean {
  return undici !== undefined && error instanceof undici.errors.RequestAbortedError;
}

/** The failure of one call as an UpstreamError; a call the caller aborted stays what it is. */
export function describeFailure(error: unknown, host: string, timeoutMs: number): unknown {
  if (error instanceof UpstreamError || isAbortedByCaller(error)) return error;
  const errors = undici?.errors;
  if (errors !== undefined && (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError)) {
    return new UpstreamError('timeout', host, `upstream ${host} did not answer within ${timeoutMs} ms`);
  }
  if (errors !== undefined && error instanceof errors.ConnectTimeoutError) {
    return new UpstreamError('unreachable', host, `upstream ${host} cannot be reached: no connection within ${timeoutMs} ms`);
  }
  const code = (error as { code?: unknown }).code;
  const reason = error instanceof Error ? error.message : String(error);
  const words = typeof code === 'string' && !reason.includes(code) ? `${reason} (${code})` : reason;
  return new UpstreamError('unreachable', host, `upstream ${host} cannot be reached: ${words}`);
}
