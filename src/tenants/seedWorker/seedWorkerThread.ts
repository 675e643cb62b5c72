import { parentPort, workerData } from 'node:worker_threads';
import { generateTenantDataset } from '../../data/generateTenantResources.js';
import type { TenantDataOptions } from '../../data/tenantDataOptions.js';
import type { PreparedBatch } from '../../fhir/store/preparedBatch.js';
import { RecordPreparer } from '../../fhir/store/recordPreparer.js';
import { adapterFor } from '../../fhir/versions/index.js';
import type { SeedWorkerMessage, SeedWorkerTask } from './seedWorkerMessage.js';

/**
 * A seeding worker: generates one tenant's dataset exactly as the main thread would (generation is a
 * pure function of the options) and prepares its share of it — every `shares`-th block of batches —
 * as batches ready for `ResourceStore.addPrepared`, buffers transferred, never copied. Serialising,
 * writing and indexing cost several times what generating does, so workers that each generate
 * everything and prepare a share divide most of the work.
 */
const port = parentPort;
if (port === null) throw new TypeError('seedWorkerThread runs as a worker thread (see seedOnWorker)');
const { options, share, shares, blockBatches } = workerData as SeedWorkerTask<TenantDataOptions>;
const preparer = new RecordPreparer(adapterFor(options.fhirVersion));

const post = (block: number, batches: PreparedBatch[], endsBlock: boolean): void => {
  if (batches.length === 0 && !endsBlock) return;
  const message: SeedWorkerMessage = { kind: 'batches', block, endsBlock, batches };
  port.postMessage(
    message,
    batches.flatMap((batch) => [batch.bytes, batch.fields.buffer as ArrayBuffer, batch.lastUpdated.buffer as ArrayBuffer]),
  );
};

let index = 0;
for (const resources of generateTenantDataset(options)) {
  const block = Math.floor(index / blockBatches);
  const endsBlock = ++index % blockBatches === 0;
  if (block % shares !== share) continue;
  for (const resource of resources) preparer.add(resource);
  if (resources[0]?.resourceType === 'Patient') preparer.patientDone();
  post(block, endsBlock ? preparer.finish() : preparer.take(), endsBlock);
}
// The last block is usually cut short by the dataset's end.
const lastBlock = Math.floor((index - 1) / blockBatches);
if (index % blockBatches !== 0 && lastBlock % shares === share) post(lastBlock, preparer.finish(), true);
port.postMessage({ kind: 'done' } satisfies SeedWorkerMessage);
