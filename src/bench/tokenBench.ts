import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_CLIENT, BENCH_TENANT, benchProfile } from './benchServer.js';
import { METERED, readMeter, startBenchProcess, stopBenchProcess } from './benchProcess.js';
import { loadTest, type LoadRequest } from './loadTest.js';
import { median, spread } from './medians.js';
import { mainThreadCpuMs } from './procCpu.js';

/**
 * `node dist/bench/tokenBench.js`: token issuance alone, the real CLI (headless, default logging)
 * against the bare node:http read in alternated rounds, as rates, ratios and server CPU µs per
 * request, and of that the main thread's (Linux): the signature runs on libuv's pool, so the two
 * differ by the pool's share. A short loop for working on the token path; `npm run bench` prints the
 * same row with everything else. Knobs: BENCH_SECONDS, BENCH_ROUNDS, BENCH_PATIENTS (the CLI's tenant size), and
 * BENCH_BASELINE_CLI: another build's dist/cli.js, measured in the same rounds (before and after a change).
 */

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const patients = Number(process.env.BENCH_PATIENTS ?? 1_000);
const baselineCli = process.env.BENCH_BASELINE_CLI;
const connections = 10;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface Run {
  requestsPerSecond: number;
  cpuUsPerRequest: number;
  /** The main thread's share of cpuUsPerRequest; undefined where /proc cannot tell. */
  mainThreadCpuUsPerRequest: number | undefined;
  failures: number;
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'token-bench-'));
  const children: ChildProcess[] = [];
  try {
    const profileFile = path.join(workDir, 'bench-profile.json');
    writeFileSync(profileFile, JSON.stringify(benchProfile(patients)));
    const cliArgs = ['--headless', '--host', '127.0.0.1', '--port', '0', '--profile', profileFile, ...process.argv.slice(2)];
    const cli = await startBenchProcess(here('../cli.js'), cliArgs);
    children.push(cli.child);
    const baseline = baselineCli === undefined ? undefined : await startBenchProcess(baselineCli, cliArgs);
    if (baseline !== undefined) children.push(baseline.child);
    const tokenForm = (origin: string): LoadRequest => ({
      url: `${origin}/oauth2/token`,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: BENCH_CLIENT.id, client_secret: BENCH_CLIENT.secret, scope: BENCH_TENANT }).toString(),
    });
    const token = await fetchToken(tokenForm(cli.origin));
    const readPath = `/fhir/stu3/Patient?_count=1`;
    const bundle = (await (await fetch(`${cli.origin}${readPath}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { entry: Array<{ resource: { id: string } }> };
    const patient = bundle.entry[0]?.resource;
    if (patient === undefined) throw new Error('no patient to read');
    const bare = await forkBare(JSON.stringify(patient), children);
    const scenarios: Array<{ name: string; server: ChildProcess; request: LoadRequest }> = [
      { name: 'bare node:http read', server: bare.child, request: { url: `${bare.origin}/fhir/stu3/Patient/${patient.id}`, headers: { Authorization: `Bearer ${token}` } } },
      { name: 'CLI: token issuance', server: cli.child, request: tokenForm(cli.origin) },
      ...(baseline === undefined ? [] : [{ name: 'baseline CLI: tokens', server: baseline.child, request: tokenForm(baseline.origin) }]),
    ];
    const runs = scenarios.map(() => [] as Run[]);
    for (let round = 0; round < rounds; round++) {
      for (let index = 0; index < scenarios.length; index++) {
        const at = (index + round) % scenarios.length;
        const scenario = scenarios[at] as (typeof scenarios)[number];
        runs[at]?.push(await measure(scenario.server, scenario.request));
      }
    }
    const bareRate = median((runs[0] ?? []).map((run) => run.requestsPerSecond));
    scenarios.forEach((scenario, index) => {
      const measured = runs[index] ?? [];
      const rates = measured.map((run) => run.requestsPerSecond);
      const failures = measured.reduce((sum, run) => sum + run.failures, 0);
      const mainThread = measured.map((run) => run.mainThreadCpuUsPerRequest).filter((us): us is number => us !== undefined);
      console.log(
        `${scenario.name.padEnd(22)} ${Math.round(median(rates)).toString().padStart(7)} req/s ±${(spread(rates) * 100).toFixed(0)}%  ratio ${(median(rates) / bareRate).toFixed(2)}  ` +
          `CPU ${median(measured.map((run) => run.cpuUsPerRequest)).toFixed(0)} µs/req` +
          `${mainThread.length > 0 ? ` (main thread ${median(mainThread).toFixed(0)})` : ''}${failures > 0 ? `  FAILURES ${failures}` : ''}`,
      );
    });
  } finally {
    for (const child of children) await stopBenchProcess(child);
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function measure(server: ChildProcess, request: LoadRequest): Promise<Run> {
  const before = await readMeter(server);
  const mainBefore = mainThreadCpuMs(server.pid);
  const result = await loadTest(request, { seconds, connections });
  const mainAfter = mainThreadCpuMs(server.pid);
  const after = await readMeter(server);
  const requests = Math.max(1, result.requestsPerSecond * seconds);
  return {
    requestsPerSecond: result.requestsPerSecond,
    cpuUsPerRequest: ((after.cpuMs - before.cpuMs) * 1000) / requests,
    mainThreadCpuUsPerRequest: mainBefore === undefined || mainAfter === undefined ? undefined : ((mainAfter - mainBefore) * 1000) / requests,
    failures: result.failures,
  };
}

async function fetchToken(form: LoadRequest): Promise<string> {
  const response = await fetch(form.url, { method: 'POST', headers: form.headers ?? {}, body: form.body ?? '' });
  if (response.status !== 200) throw new Error(`the CLI refused the token request: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

function forkBare(patientJson: string, children: ChildProcess[]): Promise<{ child: ChildProcess; origin: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(here('./benchServer.js'), ['bare', '0', patientJson], { execArgv: [...METERED], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    child.once('message', (target) => resolve({ child, origin: (target as { origin: string }).origin }));
    child.once('exit', (code) => reject(new Error(`bare server exited early (code ${code})`)));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
