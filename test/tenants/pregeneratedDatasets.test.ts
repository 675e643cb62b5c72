import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateTenantDataset } from '../../src/data/generateTenantResources.js';
import type { TenantDataOptions } from '../../src/data/tenantDataOptions.js';
import type { Resource } from '../../src/fhir/types.js';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { EventBus } from '../../src/events/eventBus.js';
import { systemClock } from '../../src/lib/clock.js';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { generationRequest, planSeeding, seedOptions } from '../../src/tenants/seedTenants.js';
import { TenantDirectory } from '../../src/tenants/tenantDirectory.js';
import { PregeneratedDatasets } from '../../src/tenants/pregeneration/pregeneratedDatasets.js';
import { DSTU2_TENANT, R4_TENANT, STU3_OTHER_TENANT, STU3_TENANT, testConfig } from '../support/testSandbox.js';

// The bundled worker, as the CLI starts it (npm test builds first); tests run from src/, where no worker file is.
const BUILT_WORKER = pathToFileURL(path.join(packageRoot, 'dist', 'chunks', 'generation-worker.js'));

// More patients than a few of the worker's chunks, so its flow control is exercised, in every FHIR version.
const config = testConfig({}, {
  tenants: [
    { id: STU3_TENANT, name: 'Northside', hospital: 'St. Mary (STU3)', fhirVersion: 'stu3', patients: 300, fixtures: ['patients'] },
    { id: STU3_OTHER_TENANT, name: 'Riverside', hospital: 'Riverside (STU3)', fhirVersion: 'stu3', patients: 8 },
    { id: DSTU2_TENANT, name: 'Lakeview', hospital: 'Lakeview (DSTU2)', fhirVersion: 'dstu2', patients: 70, fixtures: ['patients'] },
    { id: R4_TENANT, name: 'Harborview', hospital: 'Harborview (R4)', fhirVersion: 'r4', patients: 10, fixtures: ['patients'] },
  ],
});

/** Every stored record of every tenant, as the store serves it. */
function storedTexts(sandbox: Sandbox): string[] {
  return sandbox.tenants.list().flatMap((tenant) => tenant.store.types().map((type) => `${tenant.id} ${type} ${JSON.stringify(tenant.store.list(type))}`));
}

async function collect(batches: AsyncIterable<Resource[]>): Promise<string[]> {
  const texts: string[] = [];
  for await (const batch of batches) texts.push(JSON.stringify(batch));
  return texts;
}

const generatedHere = (request: TenantDataOptions) => [...generateTenantDataset(request)].map((batch) => JSON.stringify(batch));

describe('tenants generated on a worker thread while the CLI loads the server', () => {
  it('store exactly the records generating them on the main thread stores', async () => {
    const pregenerated = PregeneratedDatasets.start(config, BUILT_WORKER) as PregeneratedDatasets;
    expect(await pregenerated.started).toBe(true);
    const viaWorker = await createSandbox(config, { waitUntilSeeded: true, datasets: pregenerated?.datasets });
    const here = await createSandbox(config, { waitUntilSeeded: true });
    expect(storedTexts(viaWorker)).toEqual(storedTexts(here));
    expect(viaWorker.tenants.list().map((tenant) => tenant.seeded)).toEqual(here.tenants.list().map((tenant) => tenant.seeded));
    // The worker was ahead, so at least the first tenant came from it: a batch per patient, its directory and its care-team Groups.
    expect(pregenerated.batchesFromWorker).toBeGreaterThanOrEqual((here.tenants.list()[0]?.seeded ?? 0) + 2);
  });

  it('a worker that stops part-way only costs time: the main thread generates from the first batch it did not get', async () => {
    const pregenerated = PregeneratedDatasets.start(config, BUILT_WORKER) as PregeneratedDatasets;
    await pregenerated.started;
    const viaWorker = await createSandbox(config, { waitUntilSeeded: false, datasets: (request) => stopsAfter(pregenerated, pregenerated.datasets(request), 100) });
    await viaWorker.seeded;
    const here = await createSandbox(config, { waitUntilSeeded: true });
    expect(storedTexts(viaWorker)).toEqual(storedTexts(here));
    // Every patient once: none skipped, none stored twice when the main thread took over.
    expect(viaWorker.tenants.list().map((tenant) => tenant.seeded)).toEqual(here.tenants.list().map((tenant) => tenant.seeded));
    expect(pregenerated.batchesFromWorker).toBeGreaterThanOrEqual(100);
    expect(pregenerated.batchesFromWorker).toBeLessThan(300);
  });

  it('no worker file, or a worker that planned other tenants, only costs time', async () => {
    const request: TenantDataOptions = { seed: 7, tenantId: STU3_OTHER_TENANT, providerName: 'Riverside (STU3)', fhirVersion: 'stu3', patientCount: 5, referenceDate: '2026-01-01' };
    const missing = PregeneratedDatasets.start(config, pathToFileURL(path.join(packageRoot, 'no-such-worker.js')));
    expect(await collect((missing as PregeneratedDatasets).datasets(request))).toEqual(generatedHere(request));
    const otherPlan = PregeneratedDatasets.start(config, BUILT_WORKER) as PregeneratedDatasets;
    expect(await otherPlan.started).toBe(true);
    expect(await collect(otherPlan.datasets(request))).toEqual(generatedHere(request));
    expect(otherPlan.batchesFromWorker).toBe(0);
    otherPlan.close();
  });

  it('is not started for a profile with upstream tenants (planning those opens connections)', () => {
    const upstream = testConfig({}, {
      tenants: [{ id: STU3_TENANT, name: 'Remote', hospital: 'Remote (STU3)', fhirVersion: 'stu3', upstream: { baseUrl: 'http://127.0.0.1:9/fhir' } }],
      clients: [{ id: 'app', secret: 'app-secret', tenants: '*' }],
    });
    expect(PregeneratedDatasets.start(upstream, BUILT_WORKER)).toBeUndefined();
  });
});

/** The worker's batches, closing it after `count` of them, as if it had crashed there. */
async function* stopsAfter(pregenerated: PregeneratedDatasets, batches: AsyncIterable<Resource[]>, count: number): AsyncGenerator<Resource[]> {
  for await (const batch of batches) {
    yield batch;
    if (pregenerated.batchesFromWorker === count) pregenerated.close();
  }
}

describe('a tenant the worker has not begun when seeding reaches it', () => {
  it('is claimed and generated on the main thread, and the worker moves on to the next', async () => {
    const seeding = { ...seedOptions(config, new EventBus(), systemClock), datasets: undefined };
    const plan = planSeeding(new TenantDirectory(config.profile.tenants, systemClock), seeding);
    const [first, second] = plan.tenants.map(({ tenant, source }) => generationRequest(tenant, source.kind === 'generate' ? source.fixtures : [], seeding));
    if (first === undefined || second === undefined) throw new TypeError('the test profile has four generated tenants');

    const pregenerated = PregeneratedDatasets.start(config, BUILT_WORKER) as PregeneratedDatasets;
    // Asked for at once, before the worker has loaded anything: the first tenant is claimed and made here.
    const firstTenant = collect(pregenerated.datasets(first));
    expect(await firstTenant).toEqual(generatedHere(first));
    expect(pregenerated.batchesFromWorker).toBe(0);
    // The worker skipped it: the first tenant it begins is the second, which comes from it whole.
    expect(await pregenerated.started).toBe(true);
    expect(await collect(pregenerated.datasets(second))).toEqual(generatedHere(second));
    expect(pregenerated.batchesFromWorker).toBe(generatedHere(second).length);
    pregenerated.close();
  });
});
