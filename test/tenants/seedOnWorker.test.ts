import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxConfig } from '../../src/config/sandboxConfig.js';
import { EventBus } from '../../src/events/eventBus.js';
import type { SandboxEvent } from '../../src/events/types.js';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import { storeContentDigest } from '../../src/fhir/store/storeContentDigest.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { generateTenantDataset } from '../../src/data/generateTenantResources.js';
import { defaultSeedWorkerSplit, seedOnWorker, SeedWorkerError } from '../../src/tenants/seedWorker/seedOnWorker.js';
import type { SeedWorkerSplit } from '../../src/tenants/seedWorker/seedOnWorker.js';
import { planSeeding, seedOptions, seedTenants } from '../../src/tenants/seedTenants.js';
import { TenantDirectory } from '../../src/tenants/tenantDirectory.js';
import { DSTU2_TENANT, R4_TENANT, STU3_OTHER_TENANT, STU3_TENANT, testConfig } from '../support/testSandbox.js';

// npm test builds first: the worker always runs as tsc built it (dist/), as the CLI starts it.
const FAILING_WORKER = path.join(path.dirname(new URL(import.meta.url).pathname), 'failingSeedWorker.mjs');
const failing: SeedWorkerSplit = { workers: 1, blockBatches: 256, workerFile: FAILING_WORKER };

// Enough patients for several of the worker's chunks, in every FHIR version, with and without fixtures.
const config: SandboxConfig = testConfig({}, {
  tenants: [
    { id: STU3_TENANT, name: 'Northside', hospital: 'St. Mary (STU3)', fhirVersion: 'stu3', patients: 120, fixtures: ['patients'] },
    { id: STU3_OTHER_TENANT, name: 'Riverside', hospital: 'Riverside (STU3)', fhirVersion: 'stu3', patients: 3 },
    { id: DSTU2_TENANT, name: 'Lakeview', hospital: 'Lakeview (DSTU2)', fhirVersion: 'dstu2', patients: 70, fixtures: ['patients'] },
    { id: R4_TENANT, name: 'Harborview', hospital: 'Harborview (R4)', fhirVersion: 'r4', patients: 70, fixtures: ['patients'] },
  ],
});

interface Seeded {
  tenants: TenantDirectory;
  progress: Array<{ tenantId: string; done: number; total: number }>;
}

async function seed(workerFromPatients: number): Promise<Seeded> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const events = new EventBus();
  const progress: Seeded['progress'] = [];
  events.subscribe((event: SandboxEvent) => {
    if (event.type === 'seed-progress') progress.push({ tenantId: event.tenantId, done: event.done, total: event.total });
  });
  const tenants = new TenantDirectory(config.profile.tenants, clock);
  await seedTenants(planSeeding(tenants, { ...seedOptions(config, events, clock), workerFromPatients }));
  return { tenants, progress };
}

describe('seeding a tenant on a worker thread', () => {
  // Seeded once each way: the first test reads both, the second edits both alike.
  let onWorker: Seeded;
  let here: Seeded;
  beforeAll(async () => {
    onWorker = await seed(1);
    here = await seed(Number.POSITIVE_INFINITY);
  });

  it('fills every store exactly as seeding on the main thread does, and reports the same progress', () => {
    for (const tenant of here.tenants.list()) {
      const worked = onWorker.tenants.get(tenant.id);
      expect(worked?.ready).toBe(true);
      expect(worked?.seeded).toBe(tenant.seeded);
      expect(storeContentDigest(worked?.store as ResourceStore), tenant.id).toBe(storeContentDigest(tenant.store));
      const read = worked?.store.read('Patient', 'pat-000003');
      expect(read?.status).toBe('found');
      if (read?.status === 'found') expect(read.record.text()).toBe((tenant.store.read('Patient', 'pat-000003') as { record: { text(): string } }).record.text());
      expect(worked?.store.count('Group')).toBe(tenant.store.count('Group'));
    }
    const northside = (run: Seeded) => run.progress.filter((event) => event.tenantId === STU3_TENANT);
    expect(northside(onWorker).at(-1)).toEqual(northside(here).at(-1));
    expect(northside(onWorker).at(-1)?.done).toBe(northside(onWorker).at(-1)?.total);
    // Progress moves while the worker's batches arrive, not only at the end.
    expect(northside(onWorker)[0]?.done).toBeLessThan(northside(onWorker)[0]?.total as number);
    const dones = northside(onWorker).map((event) => event.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
  });

  it('takes edits after seeding as a main-thread store does', () => {
    for (const run of [onWorker, here]) {
      const store = (run.tenants.get(STU3_TENANT) as { store: ResourceStore }).store;
      const patient = store.read('Patient', 'pat-000004');
      if (patient.status !== 'found') throw new Error('pat-000004 is missing');
      store.upsert({ ...patient.record.resource(), gender: 'other' });
      store.remove('Observation', 'obs-000005-001');
      store.upsert({ resourceType: 'Patient', name: [{ family: 'Newcomer' }] });
    }
    const northside = (run: Seeded) => (run.tenants.get(STU3_TENANT) as { store: ResourceStore }).store;
    expect(storeContentDigest(northside(onWorker))).toBe(storeContentDigest(northside(here)));
    expect(northside(onWorker).read('Patient', 'pat-000004')).toMatchObject({ status: 'found', record: { versionId: 2 } });
    expect(northside(onWorker).read('Observation', 'obs-000005-001').status).toBe('deleted');
  });

  it('stores blocks prepared by several workers in the order of the dataset', async () => {
    const options = { seed: 5, tenantId: 'split', providerName: 'Split General', fhirVersion: 'r4' as const, patientCount: 40 };
    const here = new ResourceStore(adapterFor('r4'), new ManualClock(0));
    for (const resources of generateTenantDataset(options)) for (const resource of resources) here.add(resource);
    for (const workers of [2, 3]) {
      const split = new ResourceStore(adapterFor('r4'), new ManualClock(0));
      let patients = 0;
      // Blocks of 7 batches: each worker prepares several, which arrive out of turn and wait.
      await seedOnWorker(split, options, (more) => (patients += more), { ...defaultSeedWorkerSplit(), workers, blockBatches: 7 });
      expect(patients).toBe(40);
      expect(storeContentDigest(split), `${workers} workers`).toBe(storeContentDigest(here));
    }
  });

  it('rejects with a SeedWorkerError naming the tenant when the worker throws', async () => {
    const store = new ResourceStore(adapterFor('stu3'), new ManualClock(0));
    const seeding = seedOnWorker(store, { seed: 1, tenantId: 'breaks', providerName: 'X', fhirVersion: 'stu3', patientCount: 5 }, () => undefined, failing);
    await expect(seeding).rejects.toBeInstanceOf(SeedWorkerError);
    await expect(seeding).rejects.toThrow('seeding tenant breaks on a worker thread failed: generator broke at patient 3');
  });

  it('rejects when the worker exits before it is done, or cannot start', async () => {
    const store = new ResourceStore(adapterFor('stu3'), new ManualClock(0));
    const request = { seed: 1, tenantId: 'exits-early', providerName: 'X', fhirVersion: 'stu3' as const, patientCount: 5 };
    await expect(seedOnWorker(store, request, () => undefined, failing)).rejects.toThrow(/exited \(code 0\) before it was done/);
    const missing = seedOnWorker(store, request, () => undefined, { ...failing, workerFile: path.join(path.dirname(FAILING_WORKER), 'no-such-worker.mjs') });
    await expect(missing).rejects.toMatchObject({ code: 'SEED_WORKER_FAILED', tenantId: 'exits-early' });
  });
});
