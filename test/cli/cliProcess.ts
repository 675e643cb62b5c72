import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll } from 'vitest';
import { packageRoot } from '../../src/lib/packageRoot.js';

// Black-box: the built CLI as a user runs it (npm test builds dist/ first).
export const cliPath = path.join(packageRoot, 'dist', 'cli.js');

export const SMALL_STU3_TENANT = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';
export const SMALL_DSTU2_TENANT = 'c4d5e6f7-8a9b-4c0d-9e1f-2a3b4c5d6e70';

export function runCliSync(args: string[], env: Record<string, string> = {}, cwd?: string, timeout = 30_000) {
  return spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout, ...(cwd ? { cwd } : {}) });
}

const tempDirs: string[] = [];
// Registered as each test file imports this module (files are isolated), so each file cleans up its own.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `sandbox-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** A profile small enough to seed in a moment: one STU3 tenant (with the spec's fixtures) and one DSTU2 tenant. */
export function writeSmallProfile(dir: string, overrides: Record<string, unknown> = {}): string {
  const file = path.join(dir, 'small.json');
  const profile = {
    name: 'small',
    seed: 11,
    tenants: [
      { id: SMALL_STU3_TENANT, name: 'North', hospital: 'North General (STU3)', fhirVersion: 'stu3', patients: 4, fixtures: ['patients'] },
      { id: SMALL_DSTU2_TENANT, name: 'Lake', hospital: 'Lake Community (DSTU2)', fhirVersion: 'dstu2', patients: 3 },
    ],
    clients: [{ id: 'small-client', secret: 'small-secret-1', tenants: '*' }],
    ...overrides,
  };
  writeFileSync(file, JSON.stringify(profile, null, 2));
  return file;
}

/** A running CLI child whose output is collected as it arrives. */
export class CliProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** stdout's JSON lines so far. */
  jsonLines(): Array<Record<string, unknown>> {
    return this.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** Polls until the probe returns a value (connection refused while a server starts counts as "not yet"). */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // Not up yet.
    }
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
