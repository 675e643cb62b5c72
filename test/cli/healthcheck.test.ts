import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveListenAddress } from '../../src/config/listenAddress.js';
import { resolveConfig } from '../../src/config/sandboxConfig.js';
import { packageRoot } from '../../src/lib/packageRoot.js';

const healthcheck = path.join(packageRoot, 'dist', 'healthcheck.js');

/** The container's HEALTHCHECK command, run for real with only the given environment. */
function runHealthcheck(env: Record<string, string>): Promise<number | null> {
  const child = spawn(process.execPath, [healthcheck], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function listenOn(server: Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

describe('the health check finds the port exactly as the CLI does', () => {
  const ready = createServer((request, response) => {
    response.statusCode = request.url === '/healthz' ? 200 : 404;
    response.end();
  });
  let readyPort = 0;
  let closedPort = 0;

  beforeAll(async () => {
    readyPort = await listenOn(ready, '127.0.0.1');
    const probe = createServer();
    closedPort = await listenOn(probe, '127.0.0.1');
    await new Promise((resolve) => probe.close(resolve));
  });
  afterAll(() => new Promise((resolve) => ready.close(resolve)));

  it('PATIENTS_SANDBOX_PORT wins over PORT, for the server and for its health check', async () => {
    const env = { PORT: String(closedPort), PATIENTS_SANDBOX_PORT: String(readyPort) };
    expect(resolveConfig({}, env).port).toBe(readyPort);
    expect(await runHealthcheck(env)).toBe(0);

    const swapped = { PORT: String(readyPort), PATIENTS_SANDBOX_PORT: String(closedPort) };
    expect(resolveConfig({}, swapped).port).toBe(closedPort);
    expect(await runHealthcheck(swapped)).toBe(1);
  });

  it('PORT alone is used, and a wildcard host is probed over loopback', async () => {
    expect(await runHealthcheck({ PORT: String(readyPort) })).toBe(0);
    expect(await runHealthcheck({ PORT: String(readyPort), PATIENTS_SANDBOX_HOST: '0.0.0.0' })).toBe(0);
    expect(await runHealthcheck({ PORT: String(closedPort) })).toBe(1);
    expect(await runHealthcheck({ PORT: 'not-a-port' })).toBe(1);
  });

  it('resolveListenAddress: flag, then PATIENTS_SANDBOX_*, then PORT, then the defaults', () => {
    const env = { PORT: '9000', PATIENTS_SANDBOX_PORT: '9100', PATIENTS_SANDBOX_HOST: '0.0.0.0' };
    expect(resolveListenAddress({ port: '9200', host: '::1' }, env)).toEqual({ port: 9200, host: '::1' });
    expect(resolveListenAddress({}, env)).toEqual({ port: 9100, host: '0.0.0.0' });
    expect(resolveListenAddress({}, { PORT: '9000' })).toEqual({ port: 9000, host: '127.0.0.1' });
    expect(resolveListenAddress({}, {})).toEqual({ port: 8080, host: '127.0.0.1' });
  });
});
