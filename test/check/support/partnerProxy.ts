import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** An answer on its way back through the proxy; a rewrite may change any part of it. */
export interface ProxiedAnswer {
  method: string;
  /** Path and query as the client asked. */
  path: string;
  status: number;
  headers: Record<string, string>;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  text: string;
}

export interface PartnerProxyOptions {
  /** Serve HTTPS with this certificate instead of HTTP. */
  tls?: { key: string; cert: string };
  rewrite?: (answer: ProxiedAnswer) => void;
}

export interface RunningProxy {
  origin: string;
  close(): Promise<void>;
}

// Hop-by-hop and length headers: the proxy sends its own.
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host']);

/**
 * A partner in front of another: every request goes on to `targetOrigin`, every answer comes back with
 * the target's URLs turned into the proxy's, after `rewrite` has bent it. With no rewrite it is a
 * faithful partner on another server (HTTPS, if asked); with one, a deliberately non-conforming one.
 */
export async function startPartnerProxy(targetOrigin: string, options: PartnerProxyOptions = {}): Promise<RunningProxy> {
  let origin = '';
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    forward(request, targetOrigin, origin, options.rewrite)
      .then((answer) => {
        response.writeHead(answer.status, answer.headers);
        response.end(answer.text);
      })
      .catch((error: unknown) => {
        response.writeHead(502, { 'Content-Type': 'text/plain' });
        response.end(String(error));
      });
  };
  const server: Server = options.tls === undefined ? createHttpServer(handle) : createHttpsServer(options.tls, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function forward(request: IncomingMessage, targetOrigin: string, origin: string, rewrite: PartnerProxyOptions['rewrite']): Promise<ProxiedAnswer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string' && !NOT_FORWARDED.has(name)) headers.set(name, value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const path = (request.url ?? '/').split(origin).join(targetOrigin);
  const upstream = await fetch(`${targetOrigin}${path}`, { method: request.method, headers, ...(hasBody ? { body: Buffer.concat(chunks) } : {}) });
  const answer: ProxiedAnswer = {
    method: request.method ?? 'GET',
    path: request.url ?? '/',
    status: upstream.status,
    headers: {},
    text: (await upstream.text()).split(targetOrigin).join(origin),
  };
  upstream.headers.forEach((value, name) => {
    if (!NOT_FORWARDED.has(name)) answer.headers[name] = value.split(targetOrigin).join(origin);
  });
  try {
    answer.json = JSON.parse(answer.text) as unknown;
  } catch {
    answer.json = undefined;
  }
  if (rewrite !== undefined && answer.json !== undefined) {
    rewrite(answer);
    answer.text = JSON.stringify(answer.json);
  }
  return answer;
}
