import { createHash } from 'node:crypto';
import { generateTenantDataset } from '../data/generateTenantResources.js';
import { ResourceStore } from '../fhir/store/resourceStore.js';
import type { FhirVersion } from '../fhir/types.js';
import { adapterFor } from '../fhir/versions/index.js';
import { ManualClock } from '../lib/clock.js';

/**
 * One digest per FHIR version of everything a seeded store holds: each record's served bytes, id,
 * version, lastUpdated and date bounds, and every posting list, in slot order. A change to how the
 * store keeps records must leave these unchanged; run it on two builds and compare:
 * `node dist/bench/storeDigest.js [patients]` (default 300).
 */
const patients = Number(process.argv[2] ?? 300);
if (!Number.isInteger(patients) || patients < 1) {
  console.error('usage: node dist/bench/storeDigest.js [PATIENTS]');
  process.exit(2);
}

function digest(fhirVersion: FhirVersion): string {
  const store = new ResourceStore(adapterFor(fhirVersion), new ManualClock(Date.UTC(2026, 0, 1)));
  const dataset = generateTenantDataset({ seed: 7, tenantId: `digest-${fhirVersion}`, providerName: 'Digest General', fhirVersion, patientCount: patients });
  for (const batch of dataset) for (const resource of batch) store.add(resource);
  const hash = createHash('sha256');
  for (const type of store.types()) {
    const table = store.table(type);
    if (table === undefined) continue;
    for (let slot = 0; slot < table.slotCount; slot++) {
      const record = table.recordAt(slot);
      if (record === undefined) continue;
      hash.update(`${type} ${slot} ${record.id} ${record.versionId} ${record.lastUpdated} ${record.dates().join(',')}\n`);
      hash.update(record.json);
    }
    table.params.forEach((_, param) => {
      const postings = table.postingIndex(param);
      for (const key of postings?.keys() ?? []) hash.update(`${param} ${key} ${[...(postings?.get(key) ?? [])].join(',')}\n`);
    });
    table.params.forEach((_, param) => {
      const bySystem = table.systemIndex(param);
      for (const system of bySystem?.systems() ?? []) {
        const codes = bySystem?.get(system);
        for (const code of codes?.keys() ?? []) hash.update(`${param} ${system} ${code} ${[...(codes?.get(code) ?? [])].join(',')}\n`);
      }
    });
  }
  return hash.digest('hex').slice(0, 16);
}

const versions: FhirVersion[] = ['dstu2', 'stu3', 'r4'];
console.log(versions.map((version) => `${version} ${digest(version)}`).join('  '));
