import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { rawErrorReply, shortErrorBody } from './rawErrorReply.js';

/** What the server takes in before any route sees a request; the README's "Limits" lists them. */
export const HTTP_LIMITS = {
  /** The request line and all header fields together (Node's parser limit); past it, 431 (414 when the URL alone is that long). */
  maxHeaderBytes: 16 * 1024,
  /** The request target (path and query); past it, 414. */
  maxUrlBytes: 8 * 1024,
} as const;

/**
 * The sandbox's HTTP server. Node answers a request it cannot parse (a bad or duplicate
 * Content-Length, chunked garbage, headers past the limit) with a bare status line and no body;
 * here each gets a short body in its route's format, as long as nothing of another response has
 * gone out on that socket yet. A request Node parses but HTTP/1.1 forbids (no Host) or whose URL
 * is past the limit is refused the same way before the app sees it.
 */
export function framedServer(handler: RequestListener): Server {
  // The latest response on each socket: an error reply must not be mixed into one started and not yet
  // finished. Asked of the response when an error comes, rather than tracked with a listener per request.
  const latest = new WeakMap<Socket, ServerResponse>();
  const server = createServer({ maxHeaderSize: HTTP_LIMITS.maxHeaderBytes, requireHostHeader: false }, (req, res) => {
    latest.set(req.socket, res);
    const refusal = framingRefusal(req);
    if (refusal === undefined) return handler(req, res);
    const { contentType, body } = shortErrorBody(refusal.status, pathOf(req.url ?? '/'), refusal.message);
    res.writeHead(refusal.status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', Connection: 'close' });
    res.end(body);
  });
  server.on('clientError', (error: NodeJS.ErrnoException & { reason?: string; rawPacket?: Buffer }, socket: Socket) => {
    const response = latest.get(socket);
    const answered = response !== undefined && response.headersSent && !response.writableFinished;
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || !socket.writable || answered) {
      socket.destroy();
      return;
    }
    const { status, message, path } = describeParseError(error);
    socket.end(rawErrorReply(status, path, message), () => socket.destroy());
  });
  return server;
}

function framingRefusal(req: IncomingMessage): { status: number; message: string } | undefined {
  if ((req.url ?? '').length > HTTP_LIMITS.maxUrlBytes) {
    return { status: 414, message: `the request URL is ${(req.url ?? '').length} bytes; this server accepts at most ${HTTP_LIMITS.maxUrlBytes}` };
  }
  // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host header.
  if (req.httpVersion === '1.1' && req.headers.host === undefined) {
    return { status: 400, message: 'an HTTP/1.1 request needs a Host header' };
  }
  return undefined;
}

function describeParseError(error: NodeJS.ErrnoException & { reason?: string; rawPacket?: Buffer }): { status: number; message: string; path: string } {
  const head = error.rawPacket?.toString('latin1') ?? '';
  const lineEnd = head.indexOf('\r\n');
  const requestLine = lineEnd < 0 ? head : head.slice(0, lineEnd);
  const path = pathOf(/^[A-Za-z]+ (\S+)/.exec(requestLine)?.[1] ?? '/');
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      // The request line alone did not fit: it is the URL that is too long.
      return lineEnd < 0 || requestLine.length > HTTP_LIMITS.maxUrlBytes
        ? { status: 414, path, message: `the request URL is longer than this server accepts (at most ${HTTP_LIMITS.maxUrlBytes} bytes)` }
        : { status: 431, path, message: `the request headers are larger than this server accepts (at most ${HTTP_LIMITS.maxHeaderBytes} bytes with the request line)` };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, path, message: 'the chunk extensions of the request body are too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, path, message: 'the request was not received in time' };
    default:
      return { status: 400, path, message: `the request is not valid HTTP/1.1: ${error.reason ?? error.message}` };
  }
}

/** The path of a request target, whether origin-form (`/a?b`) or absolute-form (`http://h/a?b`). */
function pathOf(target: string): string {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(target);
  const rest = absolute === null ? target : target.slice(absolute[0].length) || '/';
  const query = rest.indexOf('?');
  return query < 0 ? rest : rest.slice(0, query);
}
