import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { YOUNG_GC_REQUEST, type YoungGcReading } from './gcMeter.js';

/**
 * A server the bench starts as users do (`node dist/cli.js --headless …` with the node flags of its
 * `#!` line, as `npx patients-sandbox` runs it; or the bare yardstick),
 * timed from spawn to its first 200 on /healthz, with the young-GC meter preloaded and its stdout
 * (the headless log) going to /dev/null as a log redirected to a file or discarded would.
 */
export interface BenchProcess {
  readonly child: ChildProcess;
  readonly origin: string;
  /** Milliseconds from spawn to the first 200 on /healthz. */
  readonly readyMs: number;
}

const GC_METER = fileURLToPath(new URL('./gcMeter.js', import.meta.url));
const ORIGIN_LINE = /Token URL\s+(http:\/\/[^/\s]+)\/oauth2\/token/;
const POLL_MS = 5;

/** Node flags every benchmarked server gets: the young-GC meter. */
export const METERED = ['--import', GC_METER] as const;

export async function startBenchProcess(script: string, args: readonly string[], timeoutMs = 600_000, nodeFlags: readonly string[] = []): Promise<BenchProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [...METERED, ...launcherFlags(script), ...nodeFlags, script, ...args], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const deadline = started + timeoutMs;
  try {
    let origin: string | undefined;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
      origin ??= ORIGIN_LINE.exec(stderr)?.[1];
      if (origin !== undefined && (await healthy(origin))) return { child, origin, readyMs: performance.now() - started };
      if (performance.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${script} did not start: ${(error as Error).message}\n${stderr}`);
  }
}

/** The node flags a script's `#!/usr/bin/env -S node …` line gives it: what `npx patients-sandbox` runs with. */
function launcherFlags(script: string): string[] {
  const firstLine = readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
  const launcher = /^#!.*\bnode\b(.*)$/.exec(firstLine);
  return launcher === null ? [] : (launcher[1] as string).split(' ').filter((word) => word !== '');
}

async function healthy(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/healthz`);
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** The server's young-GC and CPU milliseconds so far (see gcMeter). */
export function readMeter(child: ChildProcess): Promise<YoungGcReading> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (typeof message !== 'object' || message === null || !('youngGcMs' in message)) return;
      child.off('message', onMessage);
      resolve(message as YoungGcReading);
    };
    child.on('message', onMessage);
    child.send(YOUNG_GC_REQUEST);
  });
}

// Beside the process it measures, for the bench's callers.
export { residentBytes } from './residentBytes.js';

export async function stopBenchProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
