import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchTarget } from './benchServer.js';
import { measureGeneration } from '../data/measureGeneration.js';
import { measureSearch } from '../fhir/measureSearch.js';
import { measureExport } from './exportThroughput.js';
import type { FsBaseline } from './fsBaseline.js';
import { loadTest, type LoadRequest, type LoadResult } from './loadTest.js';
import { sequentialLatency } from './sequentialLatency.js';

/**
 * `npm run bench`: every figure is printed beside a baseline measured in the same run on the same
 * machine (a bare node:http server, or the same server without its fault layer), so ratios survive
 * a slow or busy machine where absolute numbers do not. Knobs: BENCH_PATIENTS, BENCH_SECONDS.
 */

const patients = Number(process.env.BENCH_PATIENTS ?? 100_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = 10;
const serverScript = fileURLToPath(new URL('./benchServer.js', import.meta.url));

async function main(): Promise<void> {
  console.log(`patients-sandbox benchmark: ${patients} patients in one STU3 tenant, ${seconds}s per run, ${connections} connections (node ${process.version})\n`);
  const sandbox = await startServer(['sandbox', String(patients)]);
  const bare = await startServer(['bare', '0', sandbox.target.patientJson]);
  const koa = await startServer(['koa', '0', sandbox.target.patientJson]);
  try {
    const auth = { Authorization: `Bearer ${sandbox.target.token}` };
    const base = `${sandbox.target.origin}/fhir/stu3`;
    const read: LoadRequest = { url: `${base}/Patient/${sandbox.target.patientId}`, headers: auth };
    const readWithoutFaults: LoadRequest = { ...read, url: `${sandbox.target.originWithoutFaults}/fhir/stu3/Patient/${sandbox.target.patientId}` };
    const search: LoadRequest = { url: `${base}/Patient?family:contains=${encodeURIComponent(sandbox.target.familySubstring)}&_count=10`, headers: auth };
    const batch: LoadRequest = {
      url: base,
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify(pageLoadBatch(sandbox.target.patientId)),
    };

    const options = { seconds, connections };
    // Alternate the pairs that are compared, so drift on a shared machine hits both sides alike.
    const koaRuns: LoadResult[] = [];
    const bareRuns: LoadResult[] = [];
    const readRuns: LoadResult[] = [];
    const noFaultRuns: LoadResult[] = [];
    for (let round = 0; round < 2; round++) {
      // The yardsticks get the very same request bytes (path and bearer token), so parsing and the
      // load generator's own work are equal on both sides; only the server's answer differs.
      bareRuns.push(await loadTest({ ...read, url: `${bare.target.origin}/fhir/stu3/Patient/${sandbox.target.patientId}` }, options));
      koaRuns.push(await loadTest({ ...read, url: `${koa.target.origin}/fhir/stu3/Patient/${sandbox.target.patientId}` }, options));
      readRuns.push(await loadTest(read, options));
      noFaultRuns.push(await loadTest(readWithoutFaults, options));
    }
    const bareBest = best(bareRuns);
    const koaBest = best(koaRuns);
    const readBest = best(readRuns);
    const noFaultBest = best(noFaultRuns);
    const searchResult = await loadTest(search, options);
    const searchLatency = await sequentialLatency(search, 2_000);
    const batchResult = await loadTest(batch, options);

    const rows: Array<[string, string, string, string]> = [
      ['bare node:http (baseline)', rps(bareBest), '1.00', ''],
      ['minimal Koa app, same body (ceiling)', rps(koaBest), ratio(koaBest, bareBest), ''],
      ['authenticated read by id', rps(readBest), ratio(readBest, bareBest), 'goal >= 0.60'],
      ['Patient?family:contains=…&_count=10', rps(searchResult), ratio(searchResult, bareBest), 'goal >= 0.20'],
      ['page load: batch of six searches', rps(batchResult), ratio(batchResult, bareBest), 'goal >= 0.10'],
      ['read, fault layer removed (yardstick)', rps(noFaultBest), '', ''],
      ['read, fault layer idle', rps(readBest), (readBest.requestsPerSecond / noFaultBest.requestsPerSecond).toFixed(3), 'goal >= 0.97 of yardstick'],
    ];
    console.log(table(['scenario', 'req/s', 'ratio to bare', 'goal'], rows));
    console.log(`\nsearch latency, one connection: p50 ${(searchLatency.p50Us / 1000).toFixed(3)} ms, p95 ${(searchLatency.p95Us / 1000).toFixed(3)} ms (goal p50 <= 1 ms)`);
    console.log(`seeding: ${patients} patients in ${(sandbox.target.seedMs / 1000).toFixed(1)} s (${Math.round(patients / (sandbox.target.seedMs / 1000))} patients/s including indexing); heap held ${(sandbox.target.heapBytesPerPatient / 1024).toFixed(1)} KB per patient (goal <= 25 KB) plus ${(sandbox.target.externalBytesPerPatient / 1024).toFixed(1)} KB outside the heap (the stored JSON bytes)`);
    const generation = await measureGeneration(Math.min(patients, 5_000));
    console.log(
      `generation (one core, full records serialised): ${Math.round(generation.patientsPerSecond)} patients/s (goal >= 5000), ` +
        `${generation.resourcesPerPatient.toFixed(1)} resources/patient, ${(generation.bytesPerPatient / 1024).toFixed(1)} KB heap per patient as JSON text`,
    );
    const core = measureSearch({ patients: Math.min(patients, 100_000), searches: 2_000 });
    console.log(
      `FHIR core alone (no HTTP), family:contains over ${core.patients} patients: p50 ${(core.p50Us / 1000).toFixed(3)} ms, p95 ${(core.p95Us / 1000).toFixed(3)} ms`,
    );
    const exported = await measureExport(base, sandbox.target.token, sandbox.child.pid as number);
    const baseline = await fsBaseline(sandbox.child);
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
    const failures = [...koaRuns, ...bareRuns, ...readRuns, ...noFaultRuns, searchResult, batchResult].reduce((sum, run) => sum + run.failures, 0);
    if (failures > 0) {
      console.log(`\nWARNING: ${failures} failed requests during the runs: the figures above are not trustworthy.`);
      process.exitCode = 1;
    }
  } finally {
    sandbox.child.kill();
    bare.child.kill();
    koa.child.kill();
  }
}

/** The reference client's page load for one patient, as one batch. */
function pageLoadBatch(patientId: string): unknown {
  const searches = [
    `Observation?patient=${patientId}&category=vital-signs&_sort=-date`,
    `Condition?patient=${patientId}&_count=20`,
    `Encounter?patient=${patientId}&_sort:desc=date&_count=1`,
    `AllergyIntolerance?patient=${patientId}`,
    `MedicationRequest?patient=${patientId}&_count=20`,
    `Coverage?patient=${patientId}`,
  ];
  return { resourceType: 'Bundle', type: 'batch', entry: searches.map((url) => ({ request: { method: 'GET', url } })) };
}

function startServer(args: string[]): Promise<{ child: ChildProcess; target: BenchTarget }> {
  return new Promise((resolve, reject) => {
    const child = fork(serverScript, args, { execArgv: ['--expose-gc', '--max-old-space-size=12288'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (target) => resolve({ child, target: target as BenchTarget }));
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
  });
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

function best(runs: readonly LoadResult[]): LoadResult {
  return runs.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
}

function rps(result: LoadResult): string {
  return Math.round(result.requestsPerSecond).toLocaleString('en-US');
}

function ratio(result: LoadResult, baseline: LoadResult): string {
  return (result.requestsPerSecond / baseline.requestsPerSecond).toFixed(2);
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
