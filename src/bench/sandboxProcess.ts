import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../lib/packageRoot.js';
import { residentBytes } from './residentBytes.js';

/**
 * The built CLI in a child process on 127.0.0.1, for the soak and the fuzzer: a crash there is the
 * child exiting, and its memory is its own (read from /proc, not mixed with the load generator's).
 */
export interface SandboxProcess {
  readonly origin: string;
  readonly pid: number;
  /** Resident set size now, in bytes; undefined where /proc is not available. */
  rssBytes(): number | undefined;
  /** With `traceGc`: the V8 heap left after the last full (mark-compact) collection, in bytes. */
  heapAfterFullGcBytes(): number | undefined;
  /** With `traceGc`: the heap V8 keeps committed after that collection (part of RSS even when unused). */
  heapCommittedBytes(): number | undefined;
  /** The exit code once the child has exited, else undefined. */
  readonly exitCode: number | null | undefined;
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

export interface SandboxProcessOptions {
  /** A profile object, written to a temporary file. */
  profile: unknown;
  /** More CLI flags (e.g. --data DIR --persist). */
  args?: readonly string[];
  /** How long to wait for /healthz to answer 200. */
  startTimeoutMs?: number;
  /**
   * Run the child with --trace-gc and read the heap left after each full collection: what is still
   * referenced, which tells a leak from memory the allocator merely keeps (RSS shows both).
   */
  traceGc?: boolean;
}

const CLI = path.join(packageRoot, 'dist', 'cli.js');
// "[pid:0x…]  1373 ms: Mark-Compact 26.4 (55.1) -> 7.3 (41.2) MB, …": after the collection, 7.3 MB in use of 41.2 committed.
const FULL_GC_LINE = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\)/;

export async function startSandboxProcess(options: SandboxProcessOptions): Promise<SandboxProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-process-'));
  const profileFile = path.join(dir, 'profile.json');
  writeFileSync(profileFile, JSON.stringify(options.profile));
  // Headless request lines go to /dev/null unless GC traces (also on stdout) are wanted.
  const child = spawn(process.execPath, [...(options.traceGc ? ['--trace-gc'] : []), CLI, '--headless', '--host', '127.0.0.1', '--port', '0', '--profile', profileFile, ...(options.args ?? [])], {
    stdio: ['ignore', options.traceGc ? 'pipe' : 'ignore', 'pipe'],
  });
  let heapAfterFullGc: number | undefined;
  let heapCommitted: number | undefined;
  if (child.stdout) {
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      const match = FULL_GC_LINE.exec(line);
      if (match === null) return;
      heapAfterFullGc = Number(match[1]) * 1024 * 1024;
      heapCommitted = Number(match[2]) * 1024 * 1024;
    });
  }
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  try {
    const origin = await waitFor(() => /Token URL\s+(http:\/\/[^/\s]+)\/oauth2\/token/.exec(stderr)?.[1], child, options.startTimeoutMs ?? 60_000);
    await waitFor(async () => ((await fetch(`${origin}/healthz`)).status === 200 ? true : undefined), child, options.startTimeoutMs ?? 60_000);
    return {
      origin,
      pid: child.pid as number,
      rssBytes: () => residentBytes(child.pid as number),
      heapAfterFullGcBytes: () => heapAfterFullGc,
      heapCommittedBytes: () => heapCommitted,
      get exitCode() {
        return exitCode;
      },
      stderr: () => stderr,
      stop: (graceMs = 10_000) => stopChild(child, exited, graceMs),
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`the sandbox did not start: ${(error as Error).message}\n${stderr}`);
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, child: ChildProcess, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // Connection refused while the server starts.
    }
    if (Date.now() > deadline) throw new Error(`no answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
