import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchProfile } from './benchServer.js';
import { METERED, readMeter, startBenchProcess, stopBenchProcess } from './benchProcess.js';
import { fetchBenchToken, forkBenchServer } from './benchServers.js';
import { loadTest, type LoadRequest } from './loadTest.js';
import { median, spread } from './medians.js';
import { pageLoadBatch } from './pageLoadBatch.js';

/**
 * `node dist/bench/searchBench.js`: only the search scenarios of `npm run bench` (name search, the
 * same as POST _search, vitals, the page-load batch) against the real CLI, beside bare node:http in
 * the same rounds, so work on the search path can be measured in a minute on a busy machine.
 * Knobs: BENCH_PATIENTS (default 10000), BENCH_SECONDS (default 2), BENCH_ROUNDS (default 3),
 * BENCH_ONLY (run only the CLI scenarios whose name contains it, beside bare), BENCH_CLI_FLAGS (node flags for the CLI process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
 * BENCH_OTHER_CLI (another build's cli.js, e.g. a copy of main's dist/, run beside this one through the same scenarios in the same rounds, for A/B).
 */

const patients = Number(process.env.BENCH_PATIENTS ?? 10_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const only = process.env.BENCH_ONLY ?? '';
const cliFlags = (process.env.BENCH_CLI_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
const otherCli = process.env.BENCH_OTHER_CLI;
const connections = 10;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface Scenario {
  name: string;
  server: ChildProcess;
  request: LoadRequest;
}

async function main(): Promise<void> {
  console.log(`search bench: ${patients} patients, ${rounds} rounds of ${seconds}s, ${connections} connections\n`);
  const workDir = mkdtempSync(path.join(tmpdir(), 'sandbox-search-bench-'));
  const children: ChildProcess[] = [];
  try {
    const profileFile = path.join(workDir, 'bench-profile.json');
    writeFileSync(profileFile, JSON.stringify(benchProfile(patients)));
    const cli = await startCli(here('../cli.js'), profileFile);
    children.push(cli.child);
    const token = await fetchBenchToken(cli.origin);
    const base = `${cli.origin}/fhir/stu3`;
    const auth = { Authorization: `Bearer ${token}` };
    const { patientId, family, patientJson } = await pickPatient(base, auth, patients);
    const bare = await forkBenchServer(['bare', '0', patientJson], children, [...METERED]);
    const cliScenarios = searchScenarios('CLI', cli.child, base, auth, patientId, encodeURIComponent(family));
    if (otherCli !== undefined) {
      const other = await startCli(otherCli, profileFile);
      children.push(other.child);
      const otherAuth = { Authorization: `Bearer ${await fetchBenchToken(other.origin)}` };
      cliScenarios.push(...searchScenarios('other', other.child, `${other.origin}/fhir/stu3`, otherAuth, patientId, encodeURIComponent(family)));
    }
    const all: Scenario[] = [
      { name: 'bare node:http (baseline)', server: bare.child, request: { url: `${bare.target.origin}/fhir/stu3/Patient/${patientId}`, headers: auth } },
      ...cliScenarios,
    ];
    const scenarios = all.filter((scenario, index) => index === 0 || scenario.name.includes(only));
    const runs = new Map<Scenario, Array<{ rate: number; cpuUs: number; failures: number }>>(scenarios.map((scenario) => [scenario, []]));
    for (let round = 0; round < rounds; round++) {
      for (let index = 0; index < scenarios.length; index++) {
        const scenario = scenarios[(index + round) % scenarios.length] as Scenario;
        const before = await readMeter(scenario.server);
        const result = await loadTest(scenario.request, { seconds, connections });
        const after = await readMeter(scenario.server);
        const requests = Math.max(1, result.requestsPerSecond * seconds);
        runs.get(scenario)?.push({ rate: result.requestsPerSecond, cpuUs: ((after.cpuMs - before.cpuMs) * 1000) / requests, failures: result.failures });
      }
    }
    const bareRate = median((runs.get(scenarios[0] as Scenario) ?? []).map((run) => run.rate));
    for (const scenario of scenarios) {
      const measured = runs.get(scenario) ?? [];
      const rates = measured.map((run) => run.rate);
      const failures = measured.reduce((sum, run) => sum + run.failures, 0);
      console.log(
        `${scenario.name.padEnd(44)} ${Math.round(median(rates)).toString().padStart(7)} req/s ±${(spread(rates) * 100).toFixed(0).padStart(2)}%  ` +
          `ratio ${(median(rates) / bareRate).toFixed(3)}  CPU ${median(measured.map((run) => run.cpuUs)).toFixed(0).padStart(4)} µs/req` +
          (failures > 0 ? `  FAILURES ${failures}` : ''),
      );
    }
  } finally {
    for (const child of children) await stopGently(child);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The CLI as users start it, with BENCH_CLI_FLAGS among node's own flags (before the script, after the meter). */
function startCli(script: string, profileFile: string) {
  return startBenchProcess(script, ['--headless', '--host', '127.0.0.1', '--port', '0', '--profile', profileFile], undefined, cliFlags);
}

/** The search scenarios against one CLI process, named after it. */
function searchScenarios(label: string, server: ChildProcess, base: string, auth: Record<string, string>, patientId: string, encodedFamily: string): Scenario[] {
  return [
    { name: `${label}: Patient?family:contains=…&_count=10`, server, request: { url: `${base}/Patient?family:contains=${encodedFamily}&_count=10`, headers: auth } },
    {
      name: `${label}: POST Patient/_search (same search)`,
      server,
      request: { url: `${base}/Patient/_search`, method: 'POST', headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' }, body: `family:contains=${encodedFamily}&_count=10` },
    },
    { name: `${label}: vitals`, server, request: { url: `${base}/Observation?patient=${patientId}&category=vital-signs&_sort=-date`, headers: auth } },
    {
      name: `${label}: batch of six searches`,
      server,
      request: { url: base, method: 'POST', headers: { ...auth, 'Content-Type': 'application/fhir+json' }, body: JSON.stringify(pageLoadBatch(patientId)) },
    },
  ];
}

/** SIGINT first, so a CPU profile the CLI was asked for gets written; SIGKILL after 10 s. */
async function stopGently(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  await stopBenchProcess(child);
}

/** A patient in the middle of the tenant, its family name and its stored bytes (the bare server's body). */
async function pickPatient(base: string, auth: Record<string, string>, count: number): Promise<{ patientId: string; family: string; patientJson: string }> {
  const response = await fetch(`${base}/Patient?_count=1&_offset=${Math.floor(count / 2)}`, { headers: auth });
  const bundle = (await response.json()) as { entry?: Array<{ resource: { id: string; name?: Array<{ family?: string | string[] }> } }> };
  const patient = bundle.entry?.[0]?.resource;
  if (patient === undefined) throw new Error('the CLI has no patient to search for');
  const read = await fetch(`${base}/Patient/${patient.id}`, { headers: auth });
  const family = String(patient.name?.[0]?.family ?? 'son');
  return { patientId: patient.id, family: family.slice(1, 4).toLowerCase(), patientJson: await read.text() };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
