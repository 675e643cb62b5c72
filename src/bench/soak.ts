import { FHIR_VERSIONS, type FhirVersion } from '../fhir/types.js';
import { mib, mibPerMinute, type MemorySample } from './memorySlope.js';
import { ROBUSTNESS_CLIENT, ROBUSTNESS_TENANTS, robustnessProfile } from './robustnessProfile.js';
import { startSandboxProcess, type SandboxProcess } from './sandboxProcess.js';

/**
 * The memory soak: the built sandbox in a child process on 127.0.0.1, driven for a fixed time by
 * create / read / update / search / raw-record edit / delete cycles on both FHIR versions, with a
 * fresh token now and then and the fault preset switched every `presetEveryMs`. It reports the
 * child's RSS at the start and end of the steady phase and its slope after warm-up.
 */
export interface SoakOptions {
  durationMs: number;
  warmUpMs: number;
  /** Requests per second to aim for (the machine may deliver fewer). */
  rate: number;
  concurrency: number;
  patientsPerTenant: number;
  presetEveryMs: number;
  sampleEveryMs: number;
  /** Extra CLI flags for the sandbox (e.g. --data DIR --persist). */
  sandboxArgs: readonly string[];
  log: (line: string) => void;
}

export interface SoakReport {
  durationMs: number;
  requests: number;
  byStatus: Record<string, number>;
  /** 5xx without an X-Sandbox-Fault header: real server errors. */
  unexplained5xx: number;
  transportErrors: number;
  crashed: boolean;
  rssStartMiB: number | undefined;
  rssEndMiB: number | undefined;
  slopeMiBPerMinute: number;
  /** V8 heap left after full collections (--trace-gc): the same three figures for what is still referenced. */
  heapStartMiB: number | undefined;
  heapEndMiB: number | undefined;
  heapSlopeMiBPerMinute: number;
  patientsAtStart: number;
  patientsAtEnd: number;
  presets: string[];
}

export const DEFAULT_SOAK_OPTIONS: Omit<SoakOptions, 'log'> = {
  durationMs: 10 * 60_000,
  warmUpMs: 60_000,
  rate: 600,
  concurrency: 16,
  patientsPerTenant: 300,
  presetEveryMs: 30_000,
  sampleEveryMs: 5_000,
  sandboxArgs: [],
};

const PRESET_CYCLE = ['flaky-partner', 'throttled', 'calm', 'token-churn', 'broken-paging', 'half-written', 'slow-network', 'tenant-outage', 'calm'];
const REQUEST_TIMEOUT_MS = 20_000;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const sandbox = await startSandboxProcess({ profile: robustnessProfile(options.patientsPerTenant), args: options.sandboxArgs, traceGc: true });
  try {
    return await soak(sandbox, options);
  } finally {
    await sandbox.stop();
  }
}

async function soak(sandbox: SandboxProcess, options: SoakOptions): Promise<SoakReport> {
  const stats = new SoakStats();
  const samples: MemorySample[] = [];
  const heapSamples: MemorySample[] = [];
  const started = Date.now();
  const deadline = started + options.durationMs;
  const pacer = new Pacer(options.rate, started);
  const presets: string[] = [];
  const patientsAtStart = await patientCount(sandbox);

  const sampler = setInterval(() => {
    const bytes = sandbox.rssBytes();
    if (bytes !== undefined) samples.push({ atMs: Date.now() - started, bytes });
    const heap = sandbox.heapAfterFullGcBytes();
    if (heap !== undefined) heapSamples.push({ atMs: Date.now() - started, bytes: heap });
  }, options.sampleEveryMs);
  let presetIndex = 0;
  const switchPreset = async () => {
    const preset = PRESET_CYCLE[presetIndex++ % PRESET_CYCLE.length] as string;
    presets.push(preset);
    await admin(sandbox, 'DELETE', '/admin/faults');
    if (preset !== 'calm') await admin(sandbox, 'POST', `/admin/faults/presets/${preset}`, preset === 'tenant-outage' ? { tenantId: ROBUSTNESS_TENANTS.dstu2 } : {});
    // token-churn shortens token lifetimes; put them back so the next preset starts from the default.
    if (preset !== 'token-churn') await admin(sandbox, 'PATCH', '/admin/tokens/policy', { lifetimeSeconds: 3600 });
    const elapsed = Date.now() - started;
    options.log(
      `${(elapsed / 1000).toFixed(0).padStart(5)} s  ${String(stats.requests).padStart(8)} requests  ${(stats.requests / Math.max(1, elapsed / 1000)).toFixed(0).padStart(4)} req/s  ` +
        `RSS ${mib(sandbox.rssBytes())} MiB  heap after full GC ${mib(sandbox.heapAfterFullGcBytes())} MiB (committed ${mib(sandbox.heapCommittedBytes())})  preset ${preset}`,
    );
  };
  await switchPreset();
  const presetTimer = setInterval(() => void switchPreset().catch(() => undefined), options.presetEveryMs);

  try {
    const workers = Array.from({ length: options.concurrency }, (_, worker) =>
      runWorker(sandbox, FHIR_VERSIONS[worker % FHIR_VERSIONS.length] as FhirVersion, worker, deadline, pacer, stats),
    );
    await Promise.all(workers);
  } finally {
    clearInterval(sampler);
    clearInterval(presetTimer);
  }
  await admin(sandbox, 'DELETE', '/admin/faults').catch(() => undefined);
  const crashed = sandbox.exitCode !== undefined;
  const patientsAtEnd = crashed ? 0 : await patientCount(sandbox);
  const steady = samples.filter((sample) => sample.atMs >= options.warmUpMs);
  const steadyHeap = heapSamples.filter((sample) => sample.atMs >= options.warmUpMs);
  return {
    durationMs: Date.now() - started,
    requests: stats.requests,
    byStatus: stats.byStatus,
    unexplained5xx: stats.unexplained5xx,
    transportErrors: stats.transportErrors,
    crashed,
    rssStartMiB: firstMiB(steady),
    rssEndMiB: firstMiB(steady.slice(-1)),
    slopeMiBPerMinute: mibPerMinute(steady),
    heapStartMiB: firstMiB(steadyHeap),
    heapEndMiB: firstMiB(steadyHeap.slice(-1)),
    heapSlopeMiBPerMinute: mibPerMinute(steadyHeap),
    patientsAtStart,
    patientsAtEnd,
    presets,
  };
}

function firstMiB(samples: readonly MemorySample[]): number | undefined {
  return samples[0] === undefined ? undefined : samples[0].bytes / 2 ** 20;
}

class SoakStats {
  requests = 0;
  byStatus: Record<string, number> = {};
  unexplained5xx = 0;
  transportErrors = 0;

  count(status: number | 'error', faulted: boolean): void {
    this.requests++;
    const key = String(status);
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
    if (status === 'error') this.transportErrors++;
    else if (status >= 500 && !faulted) this.unexplained5xx++;
  }
}

/** Spreads requests evenly over time across all workers. */
class Pacer {
  #issued = 0;
  readonly #intervalMs: number;
  readonly #startedAt: number;

  constructor(rate: number, startedAt: number) {
    this.#intervalMs = 1000 / rate;
    this.#startedAt = startedAt;
  }

  async turn(): Promise<void> {
    const due = this.#startedAt + this.#issued++ * this.#intervalMs;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

interface Answer {
  status: number | 'error';
  faulted: boolean;
  headers: Headers | undefined;
  body: string;
}

/** One worker: churn cycles on one FHIR version until the deadline. */
async function runWorker(sandbox: SandboxProcess, version: FhirVersion, worker: number, deadline: number, pacer: Pacer, stats: SoakStats): Promise<void> {
  const tenant = ROBUSTNESS_TENANTS[version];
  const base = `${sandbox.origin}/fhir/${version}`;
  let token = await fetchToken(sandbox, tenant);
  let cycle = 0;
  const call = async (method: string, url: string, body?: unknown, contentType = 'application/json+fhir'): Promise<Answer> => {
    await pacer.turn();
    const answer = await send(method, url, body, { Authorization: `Bearer ${token}`, 'Content-Type': contentType });
    stats.count(answer.status, answer.faulted);
    if (answer.status === 401 && !answer.faulted) token = await fetchToken(sandbox, tenant).catch(() => token);
    return answer;
  };
  while (Date.now() < deadline && sandbox.exitCode === undefined) {
    cycle++;
    if (cycle % 200 === 0) token = await fetchToken(sandbox, tenant).catch(() => token);
    const family = `Soak${worker}x${cycle}`;
    const created = await call('POST', `${base}/Patient`, patient(version, family, '1970-01-01'));
    const id = created.status === 201 ? idFromLocation(created.headers?.get('location')) : undefined;
    if (id === undefined) continue;
    await call('GET', `${base}/Patient/${id}`);
    await call('PUT', `${base}/Patient/${id}`, { ...patient(version, family, '1971-02-02'), id });
    await call('GET', `${base}/Patient?family=${family}`);
    const observation = await call('POST', `${base}/Observation`, vitalSign(id));
    const observationId = observation.status === 201 ? idFromLocation(observation.headers?.get('location')) : undefined;
    await call('GET', `${base}/Observation?patient=${id}`);
    await call('PATCH', `${sandbox.origin}/admin/tenants/${tenant}/records/Patient/${id}`, { birthDate: '1972-03-03' }, 'application/json');
    // Deletes are retried through faults so the store's live size stays steady: growth must come from leaks.
    if (observationId !== undefined) await until204(() => call('DELETE', `${base}/Observation/${observationId}`));
    await until204(() => call('DELETE', `${base}/Patient/${id}`));
    await call('GET', `${base}/Patient/${id}`);
  }
}

async function until204(attempt: () => Promise<Answer>): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const answer = await attempt();
    if (answer.status === 204 || answer.status === 404) return;
  }
}

async function send(method: string, url: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    return { status: response.status, faulted: response.headers.has('x-sandbox-fault'), headers: response.headers, body: text };
  } catch {
    // Resets and truncated bodies are what some presets inject.
    return { status: 'error', faulted: true, headers: undefined, body: '' };
  }
}

/** A token, asked for again while faults get in the way (they apply to the token endpoint too). */
async function fetchToken(sandbox: SandboxProcess, tenant: string): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < 50 && sandbox.exitCode === undefined; attempt++) {
    try {
      const response = await fetch(`${sandbox.origin}/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ROBUSTNESS_CLIENT.id, client_secret: ROBUSTNESS_CLIENT.secret, scope: tenant }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (response.status === 200) return ((await response.json()) as { access_token: string }).access_token;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no token for ${tenant}: ${last}`);
}

async function admin(sandbox: SandboxProcess, method: string, path: string, body?: unknown): Promise<void> {
  await fetch(`${sandbox.origin}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

async function patientCount(sandbox: SandboxProcess): Promise<number> {
  const response = await fetch(`${sandbox.origin}/admin/tenants`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const tenants = (await response.json()) as Array<{ patientCount: number }>;
  return tenants.reduce((sum, tenant) => sum + tenant.patientCount, 0);
}

function idFromLocation(location: string | null | undefined): string | undefined {
  return location === null || location === undefined ? undefined : /\/([^/]+)\/_history\/[^/]+$/.exec(location)?.[1];
}

/** DSTU2's HumanName.family is a list; STU3's is one string. */
function patient(version: FhirVersion, family: string, birthDate: string): Record<string, unknown> {
  return { resourceType: 'Patient', name: [{ family: version === 'dstu2' ? [family] : family, given: ['Soak'] }], gender: 'other', birthDate };
}

function vitalSign(patientId: string): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: '2025-06-01T10:00:00Z',
    valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}
