import { Agent } from 'node:http';
import { deriveSeed, seededRandom } from '../../lib/random.js';
import { ROBUSTNESS_CLIENT, ROBUSTNESS_TENANTS } from '../robustnessProfile.js';
import { CaseGenerator } from './caseGenerator.js';
import type { FuzzAnswer, FuzzCase, FuzzContext, RouteFamily } from './fuzzCase.js';
import { sendCase } from './sendCase.js';

export interface FuzzOptions {
  origin: string;
  requests: number;
  seed: number;
  concurrency: number;
  /** Generator kinds to leave out. */
  skipKinds?: readonly string[];
  /** Longer than this without an answer is a hang (unless faults may be holding it). */
  timeoutMs?: number;
  /** Faults are cleared, the token policy reset and tokens fetched again this often. */
  resetEvery?: number;
  /** False once the server process has gone: the run stops and reports a crash. */
  alive: () => boolean;
}

/** A broken expectation, grouped by where it came from; `example` is the first request that showed it. */
export interface FuzzFinding {
  family: RouteFamily;
  kind: string;
  reason: string;
  count: number;
  example: { method: string; path: string; status: FuzzAnswer['status']; body: string };
}

export interface FuzzReport {
  requests: number;
  /** Cases Node's HTTP client would not send (invalid header or path characters). */
  unsendable: number;
  byFamily: Record<string, number>;
  byStatus: Record<string, number>;
  /** Answers shaped by an injected fault (X-Sandbox-Fault), and transport errors while faults were on. */
  injected: number;
  /** 5xx without an injected fault. */
  serverErrors: number;
  hangs: number;
  crashed: boolean;
  findings: FuzzFinding[];
}

/**
 * The fuzzer: random and mutated requests over every route family against a running sandbox on
 * 127.0.0.1, checking what must hold for any input: an answer (no hang), no 5xx except injected
 * faults, every FHIR 4xx an OperationOutcome, every token error an RFC 6749 error object, every
 * admin error JSON. Bounded by `requests`; stops early when the server dies.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const port = Number(new URL(options.origin).port);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const resetEvery = options.resetEvery ?? 200;
  let context = await freshContext(options.origin);
  const generator = new CaseGenerator(seededRandom(deriveSeed(options.seed, 'fuzz')), () => context, new Set(options.skipKinds ?? []));
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const report: FuzzReport = { requests: 0, unsendable: 0, byFamily: {}, byStatus: {}, injected: 0, serverErrors: 0, hangs: 0, crashed: false, findings: [] };
  const findings = new Map<string, FuzzFinding>();
  let drawn = 0;
  // Whether a fault rule may be on: set by any admin call that touched faults, cleared by a reset.
  let faultsMaybeOn = false;
  let resetting: Promise<void> | undefined;

  const worker = async () => {
    while (drawn < options.requests && options.alive()) {
      if (drawn > 0 && drawn % resetEvery === 0 && resetting === undefined) {
        resetting = (async () => {
          await resetSandbox(options.origin);
          context = await freshContext(options.origin);
          faultsMaybeOn = false;
        })();
        await resetting.catch(() => undefined);
        resetting = undefined;
      }
      drawn++;
      const fuzzCase = generator.next();
      const faultsBefore = faultsMaybeOn;
      const answer = await sendCase(port, agent, fuzzCase, timeoutMs);
      if (answer === undefined) {
        report.unsendable++;
        continue;
      }
      if (fuzzCase.family === 'admin' && fuzzCase.path.toLowerCase().includes('/faults')) faultsMaybeOn = true;
      record(report, findings, fuzzCase, answer, faultsBefore || faultsMaybeOn);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  report.crashed = !options.alive();
  report.findings = [...findings.values()].sort((a, b) => b.count - a.count);
  return report;
}

function record(report: FuzzReport, findings: Map<string, FuzzFinding>, fuzzCase: FuzzCase, answer: FuzzAnswer, faultsMaybeOn: boolean): void {
  report.requests++;
  report.byFamily[fuzzCase.family] = (report.byFamily[fuzzCase.family] ?? 0) + 1;
  report.byStatus[String(answer.status)] = (report.byStatus[String(answer.status)] ?? 0) + 1;
  const injected = answer.headers['x-sandbox-fault'] !== undefined || (typeof answer.status !== 'number' && faultsMaybeOn && fuzzCase.family !== 'framing');
  if (injected) {
    report.injected++;
    return;
  }
  if (answer.status === 'timeout') report.hangs++;
  if (typeof answer.status === 'number' && answer.status >= 500) report.serverErrors++;
  const reason = violation(fuzzCase, answer);
  if (reason === undefined) return;
  const key = `${fuzzCase.family}|${fuzzCase.kind}|${reason}`;
  const existing = findings.get(key);
  if (existing) existing.count++;
  else {
    findings.set(key, {
      family: fuzzCase.family,
      kind: fuzzCase.kind,
      reason,
      count: 1,
      example: { method: fuzzCase.method, path: fuzzCase.path.slice(0, 200), status: answer.status, body: answer.body.toString('utf8', 0, 300) },
    });
  }
}

/** What must hold whatever was sent; undefined when it does. */
export function violation(fuzzCase: FuzzCase, answer: FuzzAnswer): string | undefined {
  const { status } = answer;
  if (status === 'timeout') return 'no answer (hang)';
  if (status === 'reset') return fuzzCase.family === 'framing' ? undefined : 'connection reset without an injected fault';
  if (status >= 500) return `${status} without an injected fault`;
  if (status < 400 || fuzzCase.method === 'HEAD' || fuzzCase.family === 'framing') return undefined;
  const contentType = String(answer.headers['content-type'] ?? '');
  const body = parseJson(answer.body);
  switch (fuzzCase.family) {
    case 'fhir':
      if (!/json/.test(contentType) || (body as { resourceType?: unknown } | undefined)?.resourceType !== 'OperationOutcome') return `FHIR ${status} is not an OperationOutcome`;
      return undefined;
    case 'token':
      if (typeof (body as { error?: unknown } | undefined)?.error !== 'string') return `token ${status} is not an OAuth error object`;
      return undefined;
    default:
      return body === undefined ? `${fuzzCase.family} ${status} is not JSON` : undefined;
  }
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Tokens for every tenant and a few ids that exist, so generated requests get past authentication. */
async function freshContext(origin: string): Promise<FuzzContext> {
  const [stu3, dstu2, r4] = await Promise.all([token(origin, ROBUSTNESS_TENANTS.stu3), token(origin, ROBUSTNESS_TENANTS.dstu2), token(origin, ROBUSTNESS_TENANTS.r4)]);
  return {
    tokens: { stu3, dstu2, r4 },
    tenants: ROBUSTNESS_TENANTS,
    ids: {
      stu3: ['ruth-black', 'daniel-adams', 'pat-000001', 'pat-000002'],
      dstu2: ['hugh-chau', 'daniel-adams', 'pat-000001', 'pat-000002'],
      r4: ['ruth-black', 'hugh-chau', 'daniel-adams', 'pat-000001'],
    },
  };
}

async function token(origin: string, tenant: string): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const response = await fetch(`${origin}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ROBUSTNESS_CLIENT.id, client_secret: ROBUSTNESS_CLIENT.secret, scope: tenant }),
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    if (response?.status === 200) return ((await response.json()) as { access_token: string }).access_token;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the fuzzer could not get a token for ${tenant}`);
}

/** Undo what admin fuzzing may have changed that would stop later requests from reaching the FHIR core. */
async function resetSandbox(origin: string): Promise<void> {
  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${origin}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
  await send('DELETE', '/admin/faults');
  await send('PATCH', '/admin/tokens/policy', { lifetimeSeconds: 3600, clockSkewSeconds: 0 });
  await send('PATCH', '/admin/faults/settings', { exposeHeader: true });
}
