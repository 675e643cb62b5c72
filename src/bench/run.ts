import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_CLIENT, BENCH_TENANT, benchProfile, type BenchTarget } from './benchServer.js';
import { readMeter, residentBytes, startBenchProcess, stopBenchProcess } from './benchProcess.js';
import { measureGeneration } from '../data/measureGeneration.js';
import { measureSearch } from '../fhir/measureSearch.js';
import { measureExport } from './exportThroughput.js';
import type { FsBaseline } from './fsBaseline.js';
import { fetchBenchToken, startComparedServers } from './benchServers.js';
import { loadTest, type LoadRequest } from './loadTest.js';
import { describeFaultLayerCost, measureFaultLayerCost } from './faultLayerCost.js';
import { median, spread } from './medians.js';
import { pageLoadBatch } from './pageLoadBatch.js';
import { sequentialLatency } from './sequentialLatency.js';
import { describeStartUp, measureStartUp } from './startUpTime.js';

/**
 * `npm run bench`: every figure is printed as a ratio to a bare node:http server measured in the
 * same run on the same machine, so ratios survive a slow or busy machine where absolute numbers do
 * not. The servers compared are alternated in rounds and medians reported with their spread. Two
 * sandboxes are measured: the composition in a bench process (createSandbox + the HTTP app), and
 * the real CLI (`node dist/cli.js --headless`, default logging, stdout to /dev/null) as users run it.
 * Knobs: BENCH_PATIENTS, BENCH_SECONDS (per run), BENCH_ROUNDS, BENCH_READY_SIZES (comma-separated
 * patient counts for time-to-ready and RSS; "" to skip), BENCH_START_ROUNDS.
 */

const patients = Number(process.env.BENCH_PATIENTS ?? 100_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const readySizes = (process.env.BENCH_READY_SIZES ?? '10000,50000,100000').split(',').filter((size) => size.trim() !== '').map(Number);
const startRounds = Number(process.env.BENCH_START_ROUNDS ?? 3);
const connections = 10;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const CLI = here('../cli.js');

interface Scenario {
  name: string;
  server: ChildProcess;
  request: LoadRequest;
  goal: string;
}

interface Run {
  requestsPerSecond: number;
  youngGcMsPerSecond: number;
  cpuUsPerRequest: number;
  failures: number;
}

async function main(): Promise<void> {
  console.log(`patients-sandbox benchmark: ${patients} patients in one STU3 tenant, ${rounds} rounds of ${seconds}s per scenario, ${connections} connections (node ${process.version})\n`);
  const workDir = mkdtempSync(path.join(tmpdir(), 'sandbox-bench-'));
  const children: ChildProcess[] = [];
  try {
    const { composition, bare, koa, profileFile } = await startComparedServers(patients, workDir, children);
    const { target } = composition;
    const cli = await startBenchProcess(CLI, ['--headless', '--host', '127.0.0.1', '--port', '0', '--profile', profileFile]);
    children.push(cli.child);
    const cliToken = await fetchBenchToken(cli.origin);

    const scenarios = buildScenarios({ target, bare: bare.child, bareOrigin: bare.target.origin, koa: koa.child, koaOrigin: koa.target.origin, composition: composition.child, cli: cli.child, cliOrigin: cli.origin, cliToken });
    const runs = new Map<Scenario, Run[]>(scenarios.map((scenario) => [scenario, []]));
    for (let round = 0; round < rounds; round++) {
      // Each round starts at a different scenario, so drift on a shared machine hits all alike.
      for (let index = 0; index < scenarios.length; index++) {
        const scenario = scenarios[(index + round) % scenarios.length] as Scenario;
        runs.get(scenario)?.push(await measure(scenario));
      }
    }
    const bareMedian = median((runs.get(scenarios[0] as Scenario) ?? []).map((run) => run.requestsPerSecond));
    const rows = scenarios.map((scenario) => {
      const measured = runs.get(scenario) ?? [];
      const rates = measured.map((run) => run.requestsPerSecond);
      return [
        scenario.name,
        Math.round(median(rates)).toLocaleString('en-US'),
        `±${(spread(rates) * 100).toFixed(0)}%`,
        (median(rates) / bareMedian).toFixed(2),
        median(measured.map((run) => run.cpuUsPerRequest)).toFixed(0),
        median(measured.map((run) => run.youngGcMsPerSecond)).toFixed(0),
        scenario.goal,
      ];
    });
    console.log(table(['scenario', 'req/s (median)', 'spread', 'ratio to bare', 'server CPU µs/req', 'young GC ms/s', 'goal'], rows));
    const noFaults = median((runs.get(scenarios[3] as Scenario) ?? []).map((run) => run.requestsPerSecond));
    const withFaults = median((runs.get(scenarios[2] as Scenario) ?? []).map((run) => run.requestsPerSecond));
    // The table's two composition reads always run in the same order, the layer's first after the process sat idle: the goal's figure comes from pairs in alternating order.
    const faultLayer = await measureFaultLayerCost(composition.child, (scenarios[2] as Scenario).request, (scenarios[3] as Scenario).request, { pairs: Math.max(4, 2 * rounds), seconds, connections });
    console.log(`\n${describeFaultLayerCost(faultLayer)} (the table's rates, in fixed order: ${(withFaults / noFaults).toFixed(3)})`);

    const searchLatency = await sequentialLatency(scenarios.find((scenario) => scenario.name.startsWith('CLI: Patient?family'))?.request as LoadRequest, 2_000);
    console.log(`CLI name search latency, one connection: p50 ${(searchLatency.p50Us / 1000).toFixed(3)} ms, p95 ${(searchLatency.p95Us / 1000).toFixed(3)} ms (goal p50 <= 1 ms)`);
    console.log(`CLI ready with ${patients} patients in ${(cli.readyMs / 1000).toFixed(1)} s, RSS ${mb(residentBytes(cli.child.pid))} after the runs`);
    console.log(`composition seeding: ${(target.seedMs / 1000).toFixed(1)} s; heap held ${(target.heapBytesPerPatient / 1024).toFixed(1)} KB per patient plus ${(target.externalBytesPerPatient / 1024).toFixed(1)} KB outside the heap`);
    // Bulk export from the composition while it still runs, beside fs writing the same bytes.
    const exported = await measureExport(`${target.origin}/fhir/stu3`, target.token, composition.child.pid as number);
    const baseline = await fsBaseline(composition.child);
    const exportMbPerSecond = exported.bytes / 1e6 / (exported.totalMs / 1000);
    const fsMbPerSecond = baseline.bytes / 1e6 / (baseline.ms / 1000);
    console.log(
      `bulk export ($export, whole tenant, files downloaded one after another): ${exported.resources.toLocaleString('en-US')} resources, ` +
        `${(exported.bytes / 1e9).toFixed(2)} GB in ${exported.files} files in ${(exported.totalMs / 1000).toFixed(1)} s: ` +
        `${exportMbPerSecond.toFixed(0)} MB/s, ${Math.round(exported.resources / (exported.totalMs / 1000)).toLocaleString('en-US')} resources/s; ` +
        `fs writing the same bytes: ${fsMbPerSecond.toFixed(0)} MB/s (ratio ${(exportMbPerSecond / fsMbPerSecond).toFixed(2)})`,
    );
    console.log(
      `  kick-off ${exported.kickoffMs.toFixed(0)} ms (the snapshot), manifest after ${(exported.jobMs / 1000).toFixed(2)} s, slowest status poll ${exported.slowestPollMs.toFixed(0)} ms; ` +
        `server RSS ${megabytes(exported.rssBeforeBytes)} before, peak ${megabytes(exported.rssPeakBytes)} during the export` +
        (exported.bytes === baseline.bytes ? '' : ` (WARNING: fs wrote ${baseline.bytes} bytes, the export served ${exported.bytes})`),
    );
    const failures = [...runs.values()].flat().reduce((sum, run) => sum + run.failures, 0);
    for (const child of children.splice(0)) await stopBenchProcess(child);

    await startUp();
    await readiness(workDir);

    const generation = await measureGeneration(Math.min(patients, 5_000));
    console.log(
      `\ngeneration (one core, full records serialised): ${Math.round(generation.patientsPerSecond)} patients/s, ` +
        `${generation.resourcesPerPatient.toFixed(1)} resources/patient, ${(generation.bytesPerPatient / 1024).toFixed(1)} KB heap per patient as JSON text`,
    );
    const core = measureSearch({ patients: Math.min(patients, 100_000), searches: 2_000 });
    console.log(`FHIR core alone (no HTTP), family:contains over ${core.patients} patients: p50 ${(core.p50Us / 1000).toFixed(3)} ms, p95 ${(core.p95Us / 1000).toFixed(3)} ms`);
    if (failures > 0) {
      console.log(`\nWARNING: ${failures} failed requests during the runs: the figures above are not trustworthy.`);
      process.exitCode = 1;
    }
  } finally {
    for (const child of children) await stopBenchProcess(child);
    rmSync(workDir, { recursive: true, force: true });
  }
}

interface ScenarioServers {
  target: BenchTarget;
  bare: ChildProcess;
  bareOrigin: string;
  koa: ChildProcess;
  koaOrigin: string;
  composition: ChildProcess;
  cli: ChildProcess;
  cliOrigin: string;
  cliToken: string;
}

/** The scenarios, bare first (the denominator), the composition's read with and without faults third and fourth. */
function buildScenarios(servers: ScenarioServers): Scenario[] {
  const { target } = servers;
  const readPath = `/fhir/stu3/Patient/${target.patientId}`;
  // The yardsticks get the very same request bytes (path and bearer token), so parsing and the load
  // generator's own work are equal on both sides; only the server's answer differs.
  const compositionAuth = { Authorization: `Bearer ${target.token}` };
  const cliAuth = { Authorization: `Bearer ${servers.cliToken}` };
  const cliBase = `${servers.cliOrigin}/fhir/stu3`;
  const tokenForm = (origin: string): LoadRequest => ({
    url: `${origin}/oauth2/token`,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: BENCH_CLIENT.id, client_secret: BENCH_CLIENT.secret, scope: BENCH_TENANT }).toString(),
  });
  const family = encodeURIComponent(target.familySubstring);
  return [
    { name: 'bare node:http (baseline)', server: servers.bare, request: { url: `${servers.bareOrigin}${readPath}`, headers: compositionAuth }, goal: '' },
    { name: 'minimal Koa app, same body (ceiling)', server: servers.koa, request: { url: `${servers.koaOrigin}${readPath}`, headers: compositionAuth }, goal: '' },
    { name: 'composition: authenticated read', server: servers.composition, request: { url: `${target.origin}${readPath}`, headers: compositionAuth }, goal: '' },
    { name: 'composition: read, fault layer removed', server: servers.composition, request: { url: `${target.originWithoutFaults}${readPath}`, headers: compositionAuth }, goal: '' },
    { name: 'CLI: authenticated read', server: servers.cli, request: { url: `${servers.cliOrigin}${readPath}`, headers: cliAuth }, goal: '>= 0.60' },
    { name: 'composition: token issuance', server: servers.composition, request: tokenForm(target.origin), goal: '' },
    { name: 'CLI: token issuance', server: servers.cli, request: tokenForm(servers.cliOrigin), goal: '>= 0.50' },
    { name: 'CLI: Patient?family:contains=…&_count=10', server: servers.cli, request: { url: `${cliBase}/Patient?family:contains=${family}&_count=10`, headers: cliAuth }, goal: '>= 0.20' },
    {
      name: 'CLI: POST Patient/_search (same search)',
      server: servers.cli,
      request: { url: `${cliBase}/Patient/_search`, method: 'POST', headers: { ...cliAuth, 'Content-Type': 'application/x-www-form-urlencoded' }, body: `family:contains=${family}&_count=10` },
      goal: '>= 0.20',
    },
    {
      name: 'CLI: vitals (Observation?patient&category&_sort)',
      server: servers.cli,
      request: { url: `${cliBase}/Observation?patient=${target.patientId}&category=vital-signs&_sort=-date`, headers: cliAuth },
      goal: '',
    },
    {
      name: 'CLI: page load, batch of six searches',
      server: servers.cli,
      request: { url: cliBase, method: 'POST', headers: { ...cliAuth, 'Content-Type': 'application/fhir+json' }, body: JSON.stringify(pageLoadBatch(target.patientId)) },
      goal: '>= 0.15',
    },
  ];
}

async function measure(scenario: Scenario): Promise<Run> {
  const before = await readMeter(scenario.server);
  const result = await loadTest(scenario.request, { seconds, connections });
  const after = await readMeter(scenario.server);
  const requests = Math.max(1, result.requestsPerSecond * seconds);
  return {
    requestsPerSecond: result.requestsPerSecond,
    youngGcMsPerSecond: (after.youngGcMs - before.youngGcMs) / seconds,
    cpuUsPerRequest: ((after.cpuMs - before.cpuMs) * 1000) / requests,
    failures: result.failures,
  };
}

/** The default profile started as users do, against the bare yardstick's start, alternated. */
async function startUp(): Promise<void> {
  console.log(`\n${describeStartUp(await measureStartUp(startRounds), startRounds)}`);
}

/** Time to ready and resident memory of the CLI with one tenant of each size. */
async function readiness(workDir: string): Promise<void> {
  for (const size of readySizes) {
    const profileFile = path.join(workDir, `ready-${size}.json`);
    writeFileSync(profileFile, JSON.stringify(benchProfile(size)));
    const cli = await startBenchProcess(CLI, ['--headless', '--host', '127.0.0.1', '--port', '0', '--profile', profileFile]);
    const rss = residentBytes(cli.child.pid);
    await stopBenchProcess(cli.child);
    console.log(
      `CLI with ${size.toLocaleString('en-US')} patients: ready in ${(cli.readyMs / 1000).toFixed(1)} s (goal <= 30 s at 100k), ` +
        `RSS ${mb(rss)} = ${rss === undefined ? '?' : (rss / size / 1024).toFixed(1)} KB per patient (goal <= 20 KB)`,
    );
  }
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? '? MB' : `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/** Asks the sandbox process to write its store with fs, and waits for the figures. */
function fsBaseline(child: ChildProcess): Promise<FsBaseline> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if ((message as { kind?: unknown } | null)?.kind !== 'fs-baseline') return;
      child.off('message', onMessage);
      resolve(message as FsBaseline);
    };
    child.on('message', onMessage);
    child.send({ kind: 'fs-baseline' });
  });
}

function megabytes(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : `${Math.round(bytes / 1024 / 1024).toLocaleString('en-US')} MiB`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')).join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
