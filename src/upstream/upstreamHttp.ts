import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Agent, errors as undiciErrors, request } from 'undici';
import { UpstreamError } from './upstreamError.js';

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
  readonly #agent: Agent;
  readonly #timeoutMs: number;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    this.#agent = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 10_000 });
  }

  async send(call: UpstreamHttpRequest): Promise<UpstreamHttpResponse> {
    const host = new URL(call.url).host;
    try {
      const response = await request(call.url, {
        method: call.method,
        headers: call.headers,
        body: call.body ?? null,
        signal: call.signal ?? null,
        dispatcher: this.#agent,
      });
      // undici's reading errors (a body timeout, a reset) surface on the stream as they are: name the host there too.
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      throw describeFailure(error, host, this.#timeoutMs);
    }
  }

  /** Closes idle connections; calls under way finish first. */
  close(): Promise<void> {
    return this.#agent.close();
  }
}

/** Abandons an answer nobody will read: undici reports the abort on the stream, which is expected here. */
export function discard(body: Readable): void {
  body.once('error', () => undefined);
  body.destroy();
}

/** The failure of one call as an UpstreamError; a call the caller aborted stays what it is. */
export function describeFailure(error: unknown, host: string, timeoutMs: number): unknown {
  if (error instanceof UpstreamError || error instanceof undiciErrors.RequestAbortedError) return error;
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
    return new UpstreamError('timeout', host, `upstream ${host} did not answer within ${timeoutMs} ms`);
  }
  if (error instanceof undiciErrors.ConnectTimeoutError) {
    return new UpstreamError('unreachable', host, `upstream ${host} cannot be reached: no connection within ${timeoutMs} ms`);
  }
  const code = (error as { code?: unknown }).code;
  const reason = error instanceof Error ? error.message : String(error);
  const words = typeof code === 'string' && !reason.includes(code) ? `${reason} (${code})` : reason;
  return new UpstreamError('unreachable', host, `upstream ${host} cannot be reached: ${words}`);
}
