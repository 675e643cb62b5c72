import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { tempDir, writeSmallProfile } from './cliProcess.js';

/**
 * What a start does not load, checked on the built modules (npm test builds dist/ first) in a fresh
 * Node process, whose loaded internals are its own.
 */
const dist = (file: string) => JSON.stringify(path.join(packageRoot, 'dist', file));

function runModule(source: string): unknown {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8', cwd: packageRoot, timeout: 60_000 });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe('/healthz while starting', () => {
  it("answers the same JSON without loading Node's fetch implementation", () => {
    const profile = writeSmallProfile(tempDir('healthz-fetch'));
    const outcome = runModule(`
      import { get } from 'node:http';
      import { resolveConfig } from ${dist('config/sandboxConfig.js')};
      import { createSandbox } from ${dist('sandbox.js')};
      const sandbox = await createSandbox(resolveConfig({ profile: ${JSON.stringify(profile)} }, {}), { waitUntilSeeded: true });
      const server = sandbox.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const reply = await new Promise((resolve) => get('http://127.0.0.1:' + server.address().port + '/healthz', (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode, type: response.headers['content-type'], length: Number(response.headers['content-length']), body }));
      }));
      server.close();
      const fetchLoaded = process.moduleLoadList.some((name) => name.includes('undici'));
      process.stdout.write(JSON.stringify({ ...reply, body: JSON.parse(reply.body), bytes: Buffer.byteLength(reply.body), fetchLoaded }));
      process.exit(0);
    `) as { status: number; type: string; length: number; bytes: number; body: { status: string; tenants: unknown[] }; fetchLoaded: boolean };
    expect(outcome.status).toBe(200);
    expect(outcome.type).toBe('application/json; charset=utf-8');
    expect(outcome.length).toBe(outcome.bytes);
    expect(outcome.body.status).toBe('ready');
    expect(outcome.body.tenants).toHaveLength(2);
    expect(outcome.fetchLoaded).toBe(false);
  });
});
