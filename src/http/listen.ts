import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { framedServer } from './httpFraming.js';
import { ListenError } from './listenError.js';

export interface RunningServer {
  server: Server;
  /** e.g. http://127.0.0.1:8080 */
  origin: string;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then drops what is left. */
  close(graceMs?: number): Promise<void>;
}

/** Listens on host:port; an address the system refuses (in use, privileged, not ours) rejects with a ListenError. */
export function listen<S>(app: Koa<S>, port: number, host: string): Promise<RunningServer> {
  const server = framedServer(app.callback());
  // Slow clients must not hold sockets forever; hang faults manage their own timers.
  server.headersTimeout = 30_000;
  server.requestTimeout = 5 * 60_000;
  return new Promise((resolve, reject) => {
    const refuse = (error: Error) => reject(ListenError.from(error, port, host) ?? error);
    server.once('error', refuse);
    server.listen(port, host, () => {
      server.off('error', refuse);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({ server, origin: `http://${shownHost === '0.0.0.0' || shownHost === '[::]' ? 'localhost' : shownHost}:${address.port}`, close: (graceMs) => closeGracefully(server, graceMs) });
    });
  });
}

function closeGracefully(server: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    // Keep-alive sockets with no request in flight would otherwise hold close() open.
    server.closeIdleConnections();
  });
}
