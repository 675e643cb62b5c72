#!/usr/bin/env node
// Saves docs/front-page.png: the built CLI on the default profile (headless, a free loopback port),
// its front page in Debian's headless Chromium (driven by playwright-core), then both stopped.
//   npm run build && node scripts/front-page-screenshot.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
const origin = `http://127.0.0.1:${port}`;
const sandbox = spawn(process.execPath, [path.join(root, 'dist', 'cli.js'), '--headless', '--host', '127.0.0.1', '--port', String(port)], { stdio: 'ignore' });
const userDataDir = mkdtempSync(path.join(tmpdir(), 'front-page-'));
try {
  const deadline = Date.now() + 60_000;
  while ((await fetch(`${origin}/healthz`).then((r) => r.status, () => 0)) !== 200) {
    if (Date.now() > deadline) throw new Error('the sandbox did not become ready within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.screenshot({ path: path.join(root, 'docs', 'front-page.png'), fullPage: true });
  await context.close();
  console.log('wrote docs/front-page.png');
} finally {
  sandbox.kill('SIGTERM');
  rmSync(userDataDir, { recursive: true, force: true });
}
