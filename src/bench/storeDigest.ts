import { generateTenantDataset } from '../data/generateTenantResources.js';
import type { TenantDataOptions } from '../data/tenantDataOptions.js';
import { ResourceStore } from '../fhir/store/resourceStore.js';
import { storeContentDigest } from '../fhir/store/storeContentDigest.js';
import type { FhirVersion } from '../fhir/types.js';
import { adapterFor } from '../fhir/versions/index.js';
import { ManualClock } from '../lib/clock.js';
import { seedOnWorker } from '../tenants/seedWorker/seedOnWorker.js';

/**
 * One digest per FHIR version of everything a seeded store holds: each record's served bytes, id,
 * version, lastUpdated and date bounds, and every posting list, in slot order. A change to how the
 * store keeps records must leave these unchanged; run it on two builds and compare:
 * `node dist/bench/storeDigest.js [patients] [worker]` (default 300; `worker`: seeded on a worker thread).
 */
const patients = Number(process.argv[2] ?? 300);
const onWorker = process.argv[3] === 'worker';
if (!Number.isInteger(patients) || patients < 1) {
  console.error('usage: node dist/bench/storeDigest.js [PATIENTS] [worker]');
  process.exit(2);
}

async function digest(fhirVersion: FhirVersion): Promise<string> {
  const store = new ResourceStore(adapterFor(fhirVersion), new ManualClock(Date.UTC(2026, 0, 1)));
  const options: TenantDataOptions = { seed: 7, tenantId: `digest-${fhirVersion}`, providerName: 'Digest General', fhirVersion, patientCount: patients };
  if (onWorker) await seedOnWorker(store, options, () => undefined);
  else for (const batch of generateTenantDataset(options)) for (const resource of batch) store.add(resource);
  return storeContentDigest(store);
}

const versions: FhirVersion[] = ['dstu2', 'stu3', 'r4'];
const digests: string[] = [];
for (const version of versions) digests.push(`${version} ${await digest(version)}`);
console.log(digests.join('  '));
