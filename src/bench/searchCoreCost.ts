import { handleFhirRequest } from '../fhir/server.js';
import type { FhirRequest } from '../fhir/types.js';
import { adapterFor } from '../fhir/versions/index.js';
import { createSandbox } from '../sandbox.js';
import { BENCH_TENANT, benchConfig } from './benchServer.js';
import { pageLoadBatch } from './pageLoadBatch.js';

/**
 * `node dist/bench/searchCoreCost.js <patients> <iterations> [batch|search]`: the FHIR core alone
 * (no HTTP) answering the bench's batch of six and its POST `_search`, `iterations` times each after
 * as many of warm-up. It prints µs per call; under `valgrind --tool=callgrind` two runs that differ
 * only in `iterations` give the instructions per call (their difference divided by the difference
 * in calls), whatever else the machine is doing. With BENCH_PAUSE_MS it prints `warm <name>` after
 * the warm-up and waits that long, so `valgrind --instr-atstart=no` can be switched on for the
 * measured calls alone (`callgrind_control -i on <pid>`).
 */

const patients = Number(process.argv[2] ?? 1000);
const iterations = Number(process.argv[3] ?? 2000);
const only = process.argv[4];
const pauseMs = Number(process.env.BENCH_PAUSE_MS ?? 0);

async function main(): Promise<void> {
  const sandbox = await createSandbox(benchConfig(patients), { waitUntilSeeded: true });
  const tenant = sandbox.tenants.get(BENCH_TENANT);
  if (tenant === undefined) throw new Error('bench tenant missing');
  const provider = { adapter: adapterFor('stu3'), store: tenant.store, readOnly: false, clock: sandbox.clock };
  const patient = tenant.store.list('Patient')[Math.floor(patients / 2)];
  const patientId = String(patient?.id);
  const family = String((patient as { name?: Array<{ family?: string }> } | undefined)?.name?.[0]?.family ?? 'son');
  const baseUrl = 'http://127.0.0.1:8080/fhir/stu3';
  const batch: FhirRequest = { method: 'POST', path: '', params: [], body: pageLoadBatch(patientId), headers: {}, baseUrl };
  // What the gateway hands the core for the bench's POST _search form (`family:contains=…&_count=10`).
  const formBody = `family:contains=${encodeURIComponent(family.slice(1, 4).toLowerCase())}&_count=10`;
  const search = (): FhirRequest => ({ method: 'POST', path: 'Patient/_search', params: [...new URLSearchParams(formBody)], body: undefined, headers: {}, baseUrl });
  const cases: Array<[string, () => FhirRequest]> = [
    ['batch of six', () => batch],
    ['POST Patient/_search', search],
  ];
  for (const [name, request] of cases) {
    if (only !== undefined && !name.includes(only)) continue;
    let bytes = 0;
    for (let i = 0; i < iterations; i++) bytes += handleFhirRequest(request(), provider).json?.length ?? 0;
    if (pauseMs > 0) {
      console.log(`warm ${name}`);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    const started = process.cpuUsage();
    for (let i = 0; i < iterations; i++) bytes += handleFhirRequest(request(), provider).json?.length ?? 0;
    const used = process.cpuUsage(started);
    console.log(`${name.padEnd(22)} ${((used.user + used.system) / iterations).toFixed(1).padStart(7)} µs CPU per call (${bytes / (2 * iterations)} bytes)`);
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
