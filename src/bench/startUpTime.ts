import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchProcess, stopBenchProcess } from './benchProcess.js';
import { median } from './medians.js';
import { mainThreadCpuMs, processCpuMs } from './procCpu.js';

/**
 * Start-up against the bare yardstick's start, alternated in rounds: the default profile spawned as users
 * start it (`node dist/cli.js --headless`) to its first 200 on /healthz, and `--version` to its exit. Beside
 * wall time, each process's own CPU time (user + system, from /proc at that moment), which a busy shared
 * machine inflates far less than it stretches wall time, and its main thread's share: the rest is other
 * threads (V8's compiler and GC helpers, seeding workers, libuv's pool), which a second core absorbs.
 * Alone: `node dist/bench/startUpTime.js [rounds] [other/dist/cli.js …]` also starts other builds of the
 * CLI (say main's) in the same rounds, so a change is measured before and after in one run.
 */
export interface StartUpFigures {
  readonly label: string;
  readonly readyMs: number;
  readonly readyCpuMs: number | undefined;
  /** The main thread's part of readyCpuMs. */
  readonly readyMainCpuMs: number | undefined;
  /** Undefined for the yardstick, which has no --version. */
  readonly versionMs: number | undefined;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const BARE = here('./bareStart.js');
const CLI = here('../cli.js');

export async function measureStartUp(rounds: number, clis: ReadonlyArray<{ label: string; script: string }> = [{ label: 'CLI', script: CLI }]): Promise<StartUpFigures[]> {
  const starters = [{ label: 'bare node:http', script: BARE, args: [] as string[] }, ...clis.map((cli) => ({ ...cli, args: ['--headless', '--host', '127.0.0.1', '--port', '0'] }))];
  const samples = new Map(starters.map((starter) => [starter.label, { ready: [] as number[], cpu: [] as number[], mainCpu: [] as number[], version: [] as number[] }]));
  for (let round = 0; round < rounds; round++) {
    // Odd rounds run the other way round, so a machine getting busier hits every starter alike.
    for (const starter of round % 2 === 0 ? starters : [...starters].reverse()) {
      const sample = samples.get(starter.label);
      if (sample === undefined) continue;
      const started = await startBenchProcess(starter.script, starter.args);
      const cpu = processCpuMs(started.child.pid);
      const mainCpu = mainThreadCpuMs(started.child.pid);
      sample.ready.push(started.readyMs);
      if (cpu !== undefined) sample.cpu.push(cpu);
      if (mainCpu !== undefined) sample.mainCpu.push(mainCpu);
      await stopBenchProcess(started.child);
      if (starter.script !== BARE) sample.version.push(await timeCommand([starter.script, '--version']));
    }
  }
  return starters.map(({ label }) => {
    const sample = samples.get(label) ?? { ready: [], cpu: [], mainCpu: [], version: [] };
    return {
      label,
      readyMs: median(sample.ready),
      readyCpuMs: sample.cpu.length > 0 ? median(sample.cpu) : undefined,
      readyMainCpuMs: sample.mainCpu.length > 0 ? median(sample.mainCpu) : undefined,
      versionMs: sample.version.length > 0 ? median(sample.version) : undefined,
    };
  });
}

/** One line per starter, as ratios to the first (the bare yardstick). */
export function describeStartUp(figures: readonly StartUpFigures[], rounds: number): string {
  const [bare] = figures;
  if (bare === undefined) return '';
  const ratio = (value: number, to: number) => `${(value / to).toFixed(1)}x`;
  const lines = figures.map((figure) => {
    const mainCpu = figure.readyMainCpuMs === undefined ? '' : ` (main thread ${figure.readyMainCpuMs.toFixed(0)} ms)`;
    const cpu = figure.readyCpuMs === undefined ? '' : `, CPU ${figure.readyCpuMs.toFixed(0)} ms` + (figure === bare || bare.readyCpuMs === undefined ? '' : ` = ${ratio(figure.readyCpuMs, bare.readyCpuMs)}`) + mainCpu;
    if (figure === bare) return `  ${figure.label}: ${figure.readyMs.toFixed(0)} ms${cpu}`;
    const version = figure.versionMs === undefined ? '' : `; --version ${figure.versionMs.toFixed(0)} ms = ${ratio(figure.versionMs, bare.readyMs)}`;
    return `  ${figure.label} default profile: ${figure.readyMs.toFixed(0)} ms = ${ratio(figure.readyMs, bare.readyMs)} bare (goal <= 4x)${cpu}${version}`;
  });
  return [`start-up, spawn to 200 on /healthz (medians of ${rounds}, alternated):`, ...lines].join('\n');
}

function timeCommand(args: readonly string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - started));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [roundsArgument, ...others] = process.argv.slice(2);
  const rounds = Number(roundsArgument ?? 5);
  const clis = [{ label: 'CLI', script: CLI }, ...others.map((script) => ({ label: path.resolve(script), script: path.resolve(script) }))];
  console.log(describeStartUp(await measureStartUp(rounds, clis), rounds));
}
