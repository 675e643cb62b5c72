import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { cliPath, tempDir, writeSmallProfile } from './cliProcess.js';
import { filesLoadedBy, packagesAmong } from './loadedFiles.js';

/**
 * The built CLI is one bundle (dist/cli.js and its chunks, see scripts/bundle-cli.mjs): a start reads a
 * few files instead of resolving and compiling each module of ours and of the ES module packages.
 */
describe('the built CLI starts from its bundle', () => {
  let blocker: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())));

  it('serving headless loads, of dist/, only cli.js and its chunks, and no ES module package but the external ones', async () => {
    // A taken port makes the start end by itself (exit 2) after everything a server needs is loaded and built.
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker?.listen(0, '127.0.0.1', () => resolve((blocker?.address() as { port: number }).port)));
    const profile = writeSmallProfile(tempDir('bundle'));
    const files = filesLoadedBy([cliPath, '--headless', '--host', '127.0.0.1', '--port', String(port), '--profile', profile], 2);

    const ours = files.filter((file) => file.startsWith('dist/'));
    expect(ours).toContain('dist/cli.js');
    expect(ours.some((file) => file.startsWith('dist/chunks/serve-'))).toBe(true);
    expect(ours.filter((file) => file !== 'dist/cli.js' && !/^dist\/chunks\/[\w-]+\.js$/.test(file))).toEqual([]);

    const packages = packagesAmong(files);
    for (const bundled of ['zod', '@faker-js/faker', 'jose', 'uuid', 'commander', 'koa']) expect(packages).not.toContain(bundled);
    expect(packages).not.toContain('ink');
    expect(packages).not.toContain('react');
  });

  it('serving headless parses one copy of mime-db, no zod locale but English, no iconv-lite encoding table, no admin route', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker?.listen(0, '127.0.0.1', () => resolve((blocker?.address() as { port: number }).port)));
    const profile = writeSmallProfile(tempDir('bundle'));
    const files = filesLoadedBy([cliPath, '--headless', '--host', '127.0.0.1', '--port', String(port), '--profile', profile], 2);
    const bundled = files
      .filter((file) => file.startsWith('dist/'))
      .map((file) => readFileSync(path.join(packageRoot, file), 'utf8'))
      .join('\n');
    const count = (text: string) => bundled.split(text).length - 1;

    // mime-db's first entry; koa, accepts and type-is each asked for a mime-types of their own, with a mime-db each.
    expect(count('"application/1d-interleaved-parityfec"')).toBe(1);
    // zod's Dutch messages: `import { z }` kept the namespace object whole, every locale with it.
    expect(count('Ongeldige invoer')).toBe(0);
    // An iconv-lite single-byte encoding's name: its tables load from node_modules when a body needs decoding.
    expect(count('maccroatian')).toBe(0);
    // The admin routes (and their JSON body parser) load with the first admin request.
    expect(count('/tokens/expire-all')).toBe(0);
  });

  it('--version loads none of the server: no serve chunk, no dashboard', () => {
    const files = filesLoadedBy([cliPath, '--version']);
    expect(files).toContain('dist/cli.js');
    expect(files.filter((file) => /^dist\/chunks\/(?:serve|showSandboxDashboard)-/.test(file))).toEqual([]);
    expect(packagesAmong(files)).not.toContain('ink');
  });
});
