import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { METERED } from './benchProcess.js';
import { BENCH_CLIENT, BENCH_TENANT, benchProfile, type BenchTarget } from './benchServer.js';

const SERVER_SCRIPT = fileURLToPath(new URL('./benchServer.js', import.meta.url));
/** A sandbox bench server holds a whole tenant and is told to collect before measuring memory. */
export const SANDBOX_SERVER_FLAGS = [...METERED, '--expose-gc', '--max-old-space-size=12288'];

/** One bench server (bare, koa or sandbox) in a child process, resolved with what it serves. */
export function forkBenchServer(args: string[], children: ChildProcess[], execArgv: string[] = SANDBOX_SERVER_FLAGS): Promise<{ child: ChildProcess; target: BenchTarget }> {
  return new Promise((resolve, reject) => {
    const child = fork(SERVER_SCRIPT, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    child.once('message', (target) => resolve({ child, target: target as BenchTarget }));
    child.once('exit', (code) => reject(new Error(`bench server ${args[0] ?? ''} exited early (code ${code})`)));
  });
}

/** The bench client's token for the bench tenant, from a running sandbox's token endpoint. */
export async function fetchBenchToken(origin: string): Promise<string> {
  const response = await fetch(`${origin}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: BENCH_CLIENT.id, client_secret: BENCH_CLIENT.secret, scope: BENCH_TENANT }),
  });
  if (response.status !== 200) throw new Error(`the sandbox refused the bench token request: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * The servers every read comparison needs: the composition holding `patients`, then bare node:http and
 * the one-middleware Koa app answering with its Patient's bytes, and the bench profile written to
 * `workDir` for the CLI to start from.
 */
export async function startComparedServers(patients: number, workDir: string, children: ChildProcess[]) {
  const composition = await forkBenchServer(['sandbox', String(patients)], children);
  const bare = await forkBenchServer(['bare', '0', composition.target.patientJson], children);
  const koa = await forkBenchServer(['koa', '0', composition.target.patientJson], children);
  const profileFile = path.join(workDir, 'bench-profile.json');
  writeFileSync(profileFile, JSON.stringify(benchProfile(patients)));
  return { composition, bare, koa, profileFile };
}
