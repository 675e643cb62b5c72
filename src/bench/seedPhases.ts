import { PerformanceObserver } from 'node:perf_hooks';
import { generateTenantDataset } from '../data/generateTenantResources.js';
import type { BatchFilter } from '../data/generateTenantResources.js';
import { RecordPreparer } from '../fhir/store/recordPreparer.js';
import { ResourceStore } from '../fhir/store/resourceStore.js';
import type { Resource } from '../fhir/types.js';
import { adapterFor } from '../fhir/versions/index.js';
import { systemClock } from '../lib/clock.js';
import { BLOCK_BATCHES } from '../tenants/seedWorker/seedOnWorker.js';

/**
 * Seeding cost per patient by phase, in this process (no server):
 * `node --max-semi-space-size=32 dist/bench/seedPhases.js 10000 store`. One pass per run (an earlier
 * pass would warm the generator's code for the next): `generate` (stories and resource objects),
 * `stringify` (the same plus one JSON.stringify per resource) or `store` (generation into a
 * ResourceStore, as seeding does), `prepare` (what a seeding worker does: generation, then RecordPreparer)
 * or `prepared` (the same, then stored with addPrepared on the same thread), `share` (what one of two
 * seeding workers does: every other block of 256 batches rendered and prepared, the rest skipped). The differences between passes are the cost of rendering to text
 * and of storing. CPU is the whole process's (the GC's helper threads included); GC is the main
 * thread's pause time, from the gc observer.
 */
const patients = Number(process.argv[2] ?? 10_000);
const pass = process.argv[3] ?? 'store';

function dataset(rendered?: BatchFilter) {
  return generateTenantDataset({ seed: 1, tenantId: 'bench', providerName: 'Bench General (STU3)', fhirVersion: 'stu3', patientCount: patients }, rendered);
}

/** What a seeding worker does with the batches it renders: each prepared, then taken, as it would post them. */
function prepareEach(batches: Iterable<readonly Resource[]>): number {
  const preparer = new RecordPreparer(adapterFor('stu3'));
  let count = 0;
  for (const batch of batches) {
    for (const resource of batch) preparer.add(resource);
    count += batch.length;
    preparer.take();
  }
  preparer.finish();
  return count;
}

/** Kept until the figures are printed, so the store's memory is in the RSS figure. */
const retained: ResourceStore[] = [];

const passes: Record<string, () => number> = {
  generate: () => {
    let count = 0;
    for (const batch of dataset()) count += batch.length;
    return count;
  },
  stringify: () => {
    let count = 0;
    for (const batch of dataset()) for (const resource of batch) count += JSON.stringify(resource).length > 0 ? 1 : 0;
    return count;
  },
  prepare: () => prepareEach(dataset()),
  // One of two seeding workers: every other block of batches rendered and prepared.
  share: () => prepareEach(dataset((batch) => Math.floor(batch / BLOCK_BATCHES) % 2 === 0)),
  prepared: () => {
    const store = new ResourceStore(adapterFor('stu3'), systemClock);
    const preparer = new RecordPreparer(adapterFor('stu3'));
    let count = 0;
    for (const batch of dataset()) {
      for (const resource of batch) preparer.add(resource);
      count += batch.length;
      for (const prepared of preparer.take()) store.addPrepared(prepared);
    }
    for (const prepared of preparer.finish()) store.addPrepared(prepared);
    retained.push(store);
    return count;
  },
  store: () => {
    const store = new ResourceStore(adapterFor('stu3'), systemClock);
    let count = 0;
    for (const batch of dataset()) {
      for (const resource of batch) store.add(resource);
      count += batch.length;
    }
    retained.push(store);
    return count;
  },
};

const run = passes[pass];
if (run === undefined || !Number.isInteger(patients) || patients < 1) {
  console.error('usage: node dist/bench/seedPhases.js PATIENTS [generate|stringify|prepare|share|prepared|store]');
  process.exit(2);
}
let gcMs = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
});
observer.observe({ entryTypes: ['gc'] });
const cpuBefore = process.cpuUsage();
const started = performance.now();
const resources = run();
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
// The observer reports on a later tick: wait for it before printing.
await new Promise((resolve) => setTimeout(resolve, 100));
observer.disconnect();
const perPatient = (ms: number) => ((ms * 1000) / patients).toFixed(0);
const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
console.log(
  `${pass.padEnd(10)} ${patients} patients, ${resources} resources: ${perPatient(wallMs)} µs wall, ` +
    `${perPatient((cpu.user + cpu.system) / 1000)} µs CPU, ${perPatient(gcMs)} µs GC pauses per patient; ` +
    `RSS ${megabytes(process.memoryUsage().rss)} MB, heap ${megabytes(process.memoryUsage().heapUsed)} MB (${retained.length} store kept)`,
);
