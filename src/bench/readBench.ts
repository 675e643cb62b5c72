import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMeter, startBenchProcess, stopBenchProcess } from './benchProcess.js';
import { fetchBenchToken, startComparedServers } from './benchServers.js';
import { describeFaultLayerCost, measureFaultLayerCost } from './faultLayerCost.js';
import { loadTest, type LoadRequest } from './loadTest.js';
import { median, spread } from './medians.js';

/**
 * `node dist/bench/readBench.js`: the authenticated read alone, the one goal it measures, in a
 * minute rather than the whole bench's quarter hour. Bare node:http, the one-middleware Koa app, the
 * composition with and without its fault layer, and the real CLI, alternated in rounds, each with
 * server CPU µs per request and young-GC ms per second. Knobs: BENCH_PATIENTS, BENCH_SECONDS,
 * BENCH_ROUNDS, and BENCH_CLI_VARIANTS: extra CLI variants, ";"-separated, each "node flags | CLI
 * flags" (e.g. "--max-semi-space-size=64;| --log-requests off"), measured beside the CLI as shipped;
 * BENCH_CLI_ONLY=1 leaves the Koa app and the composition out of the rounds (bare stays: the ratios need it);
 * BENCH_BASELINE_CLI: another build's dist/cli.js, measured as shipped in the same rounds (before and after a change).
 */

const patients = Number(process.env.BENCH_PATIENTS ?? 10_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const cliVariants = (process.env.BENCH_CLI_VARIANTS ?? '').split(';').map((flags) => flags.trim()).filter((flags) => flags !== '');
const cliOnly = process.env.BENCH_CLI_ONLY === '1';
const baselineCli = process.env.BENCH_BASELINE_CLI;
const connections = 10;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface Target {
  name: string;
  server: ChildProcess;
  request: LoadRequest;
}

async function main(): Promise<void> {
  console.log(`read bench: ${patients} patients, ${rounds} rounds of ${seconds}s, ${connections} connections (node ${process.version})`);
  const workDir = mkdtempSync(path.join(tmpdir(), 'sandbox-read-bench-'));
  const children: ChildProcess[] = [];
  try {
    const { composition, bare, koa, profileFile } = await startComparedServers(patients, workDir, children);
    const { target } = composition;
    const readPath = `/fhir/stu3/Patient/${target.patientId}`;
    const auth = { Authorization: `Bearer ${target.token}` };
    const targets: Target[] = [{ name: 'bare node:http', server: bare.child, request: { url: `${bare.target.origin}${readPath}`, headers: auth } }];
    if (!cliOnly) {
      targets.push(
        { name: 'minimal Koa', server: koa.child, request: { url: `${koa.target.origin}${readPath}`, headers: auth } },
        { name: 'composition read', server: composition.child, request: { url: `${target.origin}${readPath}`, headers: auth } },
        { name: 'composition, no fault layer', server: composition.child, request: { url: `${target.originWithoutFaults}${readPath}`, headers: auth } },
      );
    }
    const cliRuns = ['', ...cliVariants].map((variant) => ({ script: here('../cli.js'), variant, name: `CLI read${variant === '' ? '' : ` ${variant}`}` }));
    if (baselineCli !== undefined) cliRuns.push({ script: baselineCli, variant: '', name: 'baseline CLI read' });
    for (const { script, variant, name } of cliRuns) {
      const [nodeFlags = '', cliFlags = ''] = variant.split('|').map((part) => part.trim());
      const words = (text: string) => text.split(' ').filter((word) => word !== '');
      const cli = await startBenchProcess(script, ['--headless', '--host', '127.0.0.1', '--port', '0', '--profile', profileFile, ...words(cliFlags)], undefined, words(nodeFlags));
      children.push(cli.child);
      const token = await fetchBenchToken(cli.origin);
      targets.push({ name, server: cli.child, request: { url: `${cli.origin}${readPath}`, headers: { Authorization: `Bearer ${token}` } } });
    }
    const runs = new Map<Target, Array<{ rate: number; cpuUs: number; gcMs: number; failures: number }>>(targets.map((t) => [t, []]));
    for (let round = 0; round < rounds; round++) {
      for (let index = 0; index < targets.length; index++) {
        const t = targets[(index + round) % targets.length] as Target;
        const before = await readMeter(t.server);
        const result = await loadTest(t.request, { seconds, connections });
        const after = await readMeter(t.server);
        const requests = Math.max(1, result.requestsPerSecond * seconds);
        runs.get(t)?.push({ rate: result.requestsPerSecond, cpuUs: ((after.cpuMs - before.cpuMs) * 1000) / requests, gcMs: (after.youngGcMs - before.youngGcMs) / seconds, failures: result.failures });
      }
    }
    const bareRate = median((runs.get(targets[0] as Target) ?? []).map((run) => run.rate));
    const bareCpu = median((runs.get(targets[0] as Target) ?? []).map((run) => run.cpuUs));
    console.log(['target'.padEnd(40), 'req/s', 'spread', 'ratio', 'CPU µs/req', 'CPU ratio', 'young GC ms/s', 'failures'].join('\t'));
    for (const t of targets) {
      const measured = runs.get(t) ?? [];
      const rates = measured.map((run) => run.rate);
      const cpu = median(measured.map((run) => run.cpuUs));
      console.log(
        [
          t.name.padEnd(40),
          Math.round(median(rates)),
          `±${(spread(rates) * 100).toFixed(0)}%`,
          (median(rates) / bareRate).toFixed(2),
          cpu.toFixed(1),
          (bareCpu / cpu).toFixed(2),
          median(measured.map((run) => run.gcMs)).toFixed(0),
          measured.reduce((sum, run) => sum + run.failures, 0),
        ].join('\t'),
      );
    }
    if (!cliOnly) {
      // The two composition rows above run in a fixed order; the idle fault layer's figure needs them alternated.
      const [withLayer, withoutLayer] = [targets[2], targets[3]] as [Target, Target];
      console.log(describeFaultLayerCost(await measureFaultLayerCost(composition.child, withLayer.request, withoutLayer.request, { pairs: Math.max(4, rounds), seconds, connections })));
    }
  } finally {
    for (const child of children) await stopBenchProcess(child);
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
