import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import { parseProfile } from '../config/loadProfile.js';
import type { SandboxConfig } from '../config/sandboxConfig.js';
import { DEFAULT_CORS_ORIGINS } from '../config/corsOrigins.js';
import { fhirContentType } from '../fhir/versions/contentType.js';
import { createHttpApp } from '../http/app.js';
import { listen } from '../http/listen.js';
import { packageRoot } from '../lib/packageRoot.js';
import { createSandbox } from '../sandbox.js';
import { writeStoreWithFs } from './fsBaseline.js';
import path from 'node:path';

/**
 * A benchmark target in its own process, so the load generator and the server do not share a core
 * unfairly. Started by bench/run.ts over IPC: argv[2] is the scenario, argv[3] the patient count.
 */

export type BenchScenario = 'bare' | 'koa' | 'sandbox';

export interface BenchTarget {
  origin: string;
  /** The same sandbox (same data, same process) served by an app built without the fault layer. */
  originWithoutFaults: string;
  token: string;
  patientId: string;
  familySubstring: string;
  /** The Patient JSON the sandbox serves for patientId; the bare server answers with these bytes. */
  patientJson: string;
  seedMs: number;
  /** Heap held after seeding, per patient (indexes included), measured around a forced GC. */
  heapBytesPerPatient: number;
  /** Memory outside the V8 heap per patient: the stored JSON bytes live there. */
  externalBytesPerPatient: number;
}

export const BENCH_TENANT = 'b0000000-0000-4000-8000-000000000001';

async function main(): Promise<void> {
  const scenario = process.argv[2] as BenchScenario;
  const patients = Number(process.argv[3]);
  const patientJson = process.argv[4] ?? '{}';
  if (scenario === 'bare' || scenario === 'koa') {
    // Yardsticks: node:http answering a stored JSON body with no routing, auth or FHIR at all; and the
    // same from a one-middleware Koa app, the ceiling any Koa app can reach on this machine.
    const server = createServer(scenario === 'bare' ? bareHandler(patientJson) : minimalKoa(patientJson).callback());
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      send({ origin: `http://127.0.0.1:${port}`, originWithoutFaults: '', token: '', patientId: '', familySubstring: '', patientJson, seedMs: 0, heapBytesPerPatient: 0, externalBytesPerPatient: 0 });
    });
    return;
  }
  const externalBefore = externalAfterGc();
  const heapBefore = heapAfterGc();
  const started = performance.now();
  const sandbox = await createSandbox(benchConfig(patients), { waitUntilSeeded: true });
  const seedMs = performance.now() - started;
  const heapBytesPerPatient = (heapAfterGc() - heapBefore) / Math.max(1, patients);
  const externalBytesPerPatient = (externalAfterGc() - externalBefore) / Math.max(1, patients);
  const running = await listen(sandbox.app, 0, '127.0.0.1');
  const withoutFaults = createHttpApp({
    auth: sandbox.auth,
    tenants: sandbox.tenants,
    faults: sandbox.faults,
    control: sandbox.control,
    events: sandbox.events,
    clock: sandbox.clock,
    publicBaseUrl: undefined,
    adminKey: undefined,
    exposeFaultHeader: () => true,
    maxHangMs: 0,
    softwareVersion: sandbox.version,
    faultLayer: false,
    cors: sandbox.config.cors ?? DEFAULT_CORS_ORIGINS,
    frontDoor: { profileName: sandbox.config.profile.name, demoClient: undefined },
    exports: sandbox.exports,
  });
  const runningWithoutFaults = await listen(withoutFaults, 0, '127.0.0.1');
  const tenant = sandbox.tenants.get(BENCH_TENANT);
  if (!tenant) throw new Error('bench tenant missing');
  const token = (await sandbox.auth.requestToken({ grant_type: 'client_credentials', client_id: BENCH_CLIENT.id, client_secret: BENCH_CLIENT.secret, scope: BENCH_TENANT }, undefined)).body.access_token;
  const [patient] = tenant.store.list('Patient').slice(Math.floor(patients / 2), Math.floor(patients / 2) + 1);
  if (!patient) throw new Error('no patient to read');
  const family = String((patient as { name?: Array<{ family?: string | string[] }> }).name?.[0]?.family ?? 'son');
  const read = tenant.store.read('Patient', patient.id as string);
  // The export's yardstick, on request once the load tests are done: the same bytes written with fs.
  process.on('message', (message: unknown) => {
    if ((message as { kind?: unknown } | null)?.kind !== 'fs-baseline') return;
    void writeStoreWithFs(tenant.store).then((baseline) => process.send?.({ kind: 'fs-baseline', ...baseline }));
  });
  send({
    origin: running.origin,
    originWithoutFaults: runningWithoutFaults.origin,
    token,
    patientId: patient.id as string,
    familySubstring: family.slice(1, 4).toLowerCase(),
    patientJson: read.status === 'found' ? read.record.text() : JSON.stringify(patient),
    seedMs,
    heapBytesPerPatient,
    externalBytesPerPatient,
  });
}

export const BENCH_CLIENT = { id: 'bench', secret: 'bench-secret' } as const;

/** The bench's profile: one STU3 tenant; the CLI is started with the same document in a file. */
export function benchProfile(patients: number): Record<string, unknown> {
  return {
    name: 'bench',
    seed: 1,
    tenants: [{ id: BENCH_TENANT, name: 'Bench', hospital: 'Bench General (STU3)', fhirVersion: 'stu3', patients }],
    clients: [{ ...BENCH_CLIENT, tenants: '*' }],
  };
}

/** The bench profile as the CLI would configure it: headless, an ephemeral loopback port, seed 1. */
export function benchConfig(patients: number): SandboxConfig {
  return {
    profile: parseProfile(benchProfile(patients), 'bench profile'),
    profileFile: path.join(packageRoot, 'profiles', 'bench.json'),
    port: 0,
    host: '127.0.0.1',
    seed: 1,
    headless: true,
    publicBaseUrl: undefined,
    adminKey: undefined,
    strictOAuth: false,
    signingKeyFile: undefined,
  };
}

/** Needs node --expose-gc; without it the figure includes garbage and is only an upper bound. */
function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

function externalAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().external;
}

// The yardsticks send the same header bytes as the sandbox's STU3 tenant.
const BENCH_CONTENT_TYPE = fhirContentType('stu3');

function bareHandler(body: string) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': BENCH_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
}

function minimalKoa(body: string): Koa {
  const app = new Koa();
  app.use((ctx) => {
    ctx.set('Content-Type', BENCH_CONTENT_TYPE);
    ctx.body = body;
  });
  return app;
}

function send(target: BenchTarget): void {
  process.send?.(target);
}

if (process.send) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench server failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  });
}
