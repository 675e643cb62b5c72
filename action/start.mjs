// @ts-check
/**
 * The action's main step: installs (or builds) patients-sandbox, starts it headless in the background
 * as the installed binary run by node itself (no npx, whose npm wrapper would not pass a signal on),
 * waits for its "listening" line and for /healthz, and sets the step outputs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, input, saveState, setOutput } from './runnerFiles.mjs';

const actionRoot = process.env.GITHUB_ACTION_PATH || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workDir = process.env.RUNNER_TEMP || tmpdir();

try {
  await main();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

async function main() {
  const cli = installedCli(input('package'));
  const readyTimeoutMs = Number(input('ready-timeout-seconds', '300')) * 1000;
  const logFile = path.join(workDir, 'patients-sandbox.log');
  const errorFile = path.join(workDir, 'patients-sandbox.stderr.log');
  const args = [cli, '--headless', '--port', input('port', '0'), '--profile', input('profile', 'default')];
  if (input('seed') !== '') args.push('--seed', input('seed'));
  args.push(...input('args').split(/\s+/).filter(Boolean));
  const adminKey = input('admin-key');
  const env = { ...process.env, ...(adminKey === '' ? {} : { PATIENTS_SANDBOX_ADMIN_KEY: adminKey }) };

  console.log(`starting: node ${args.join(' ')}`);
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', openSync(logFile, 'w'), openSync(errorFile, 'w')] });
  child.unref();
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + readyTimeoutMs;

  const listening = await until(deadline, exited, errorFile, 'its "listening" line', () => listeningLine(logFile));
  const loopback = `http://${loopbackHost(listening.host)}:${listening.port}`;
  await until(deadline, exited, errorFile, `${loopback}/healthz to answer 200`, async () => ((await healthStatus(`${loopback}/healthz`)) === 200 ? true : undefined));

  // The demo client: the profile's first client with a secret (key-only clients sign assertions instead).
  const client = listening.clients.find((candidate) => typeof candidate.secret === 'string');
  const outputs = {
    'base-url': listening.urls.base,
    'token-url': listening.urls.token,
    'dstu2-url': listening.urls.fhir.dstu2 ?? '',
    'stu3-url': listening.urls.fhir.stu3 ?? '',
    'admin-url': `${loopback}/admin`,
    'health-url': `${loopback}/healthz`,
    port: String(listening.port),
    'client-id': client?.id ?? '',
    'client-secret': client?.secret ?? '',
    'tenant-ids': listening.tenants.map((tenant) => tenant.id).join(','),
    tenants: JSON.stringify(listening.tenants),
    pid: String(child.pid),
    'log-file': logFile,
  };
  for (const [name, value] of Object.entries(outputs)) setOutput(name, value);
  saveState('admin-url', `${loopback}/admin`);
  saveState('admin-key', adminKey);
  saveState('requests-file', input('requests-file', 'patients-sandbox-requests.json'));
  console.log(`patients-sandbox is ready at ${listening.urls.base} (pid ${child.pid}); request log: ${logFile}`);
}

/**
 * The CLI script to run: from the given npm package spec (a registry version, or a packed .tgz), or
 * else built from this action's own source.
 * @param {string} packageSpec
 */
function installedCli(packageSpec) {
  if (packageSpec === '') {
    if (!existsSync(path.join(actionRoot, 'dist', 'cli.js'))) {
      run('npm', ['ci', '--no-audit', '--no-fund'], actionRoot);
      run('npm', ['run', 'build'], actionRoot);
    }
    return path.join(actionRoot, 'dist', 'cli.js');
  }
  const prefix = path.join(workDir, 'patients-sandbox-install');
  const spec = existsSync(packageSpec) ? path.resolve(packageSpec) : packageSpec;
  run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--omit=dev', spec], workDir);
  const packageDir = path.join(prefix, 'node_modules', 'patients-sandbox');
  const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  return path.join(packageDir, typeof manifest.bin === 'string' ? manifest.bin : manifest.bin['patients-sandbox']);
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 */
function run(command, args, cwd) {
  console.log(`${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

/**
 * @typedef {{ port: number, host: string, urls: { base: string, token: string, fhir: Record<string, string> },
 *   tenants: Array<{ id: string }>, clients: Array<{ id: string, secret: string }> }} ListeningLine
 * @param {string} logFile
 * @returns {ListeningLine | undefined}
 */
function listeningLine(logFile) {
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"event":"listening"')) continue;
    return JSON.parse(line);
  }
  return undefined;
}

/** @param {string} url */
async function healthStatus(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return response.status;
}

/** @param {string} host */
function loopbackHost(host) {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Polls until the probe gives a value; fails early, with the sandbox's own message, if it exits.
 * @template T
 * @param {number} deadline
 * @param {Promise<unknown>} exited
 * @param {string} errorFile
 * @param {string} what
 * @param {() => T | undefined | Promise<T | undefined>} probe
 * @returns {Promise<T>}
 */
async function until(deadline, exited, errorFile, what, probe) {
  let exitCode = /** @type {unknown} */ (undefined);
  void exited.then((code) => (exitCode = code ?? 'a signal'));
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // Not up yet: no log line, or connection refused.
    }
    if (exitCode !== undefined) throw new Error(`patients-sandbox exited (${exitCode}) before ${what}:\n${readFileSync(errorFile, 'utf8').trim()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; see ${errorFile}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
