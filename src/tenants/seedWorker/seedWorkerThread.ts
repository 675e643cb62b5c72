import { parentPort, workerData } from 'node:worker_threads';
import { generateTenantDataset } from '../../data/generateTenantResources.js';
import type { TenantDataOptions } from '../../data/tenantDataOptions.js';
import type { PreparedBatch } from '../../fhir/store/preparedBatch.js';
import { RecordPreparer } from '../../fhir/store/recordPreparer.js';
import { adapterFor } from '../../fhir/versions/index.js';
import type { SeedWorkerMessage } from './seedWorkerMessage.js';

/**
 * A seeding worker: generates one tenant's dataset exactly as the main thread would (generation is a
 * pure function of the options) and posts it as prepared batches, bytes and index values ready for
 * `ResourceStore.addPrepared`. Each batch's buffers are transferred, never copied.
 */
const port = parentPort;
if (port === null) throw new TypeError('seedWorkerThread runs as a worker thread (see seedOnWorker)');
const options = workerData as TenantDataOptions;
const preparer = new RecordPreparer(adapterFor(options.fhirVersion));

const post = (batches: readonly PreparedBatch[]): void => {
  for (const batch of batches) {
    const message: SeedWorkerMessage = { kind: 'batch', batch };
    port.postMessage(message, [batch.bytes, batch.fields.buffer as ArrayBuffer, batch.lastUpdated.buffer as ArrayBuffer]);
  }
};

for (const resources of generateTenantDataset(options)) {
  for (const resource of resources) preparer.add(resource);
  if (resources[0]?.resourceType === 'Patient') preparer.patientDone();
  post(preparer.take());
}
post(preparer.finish());
port.postMessage({ kind: 'done' } satisfies SeedWorkerMessage);
