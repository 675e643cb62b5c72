import { parentPort, workerData } from 'node:worker_threads';
import { generateTenantDataset } from '../../data/generateTenantResources.js';
import type { TenantDataOptions } from '../../data/tenantDataOptions.js';
import type { PreparedBatch } from '../../fhir/store/preparedBatch.js';
import { RecordPreparer } from '../../fhir/store/recordPreparer.js';
import { adapterFor } from '../../fhir/versions/index.js';
import type { SeedWorkerMessage, SeedWorkerTask } from './seedWorkerMessage.js';

/**
 * A seeding worker: generates its share of one tenant's dataset — every `shares`-th block of
 * batches — exactly as the main thread would (generation is a pure function of the options; of the
 * other blocks' patients only the general practitioner is drawn, which the Groups need) and prepares
 * it as batches ready for `ResourceStore.addPrepared`, buffers transferred, never copied.
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

const ownBlock = (batch: number): boolean => Math.floor(batch / blockBatches) % shares === share;
let index = 0;
// The other workers' blocks come out empty: rendering them here would only repeat their work.
for (const resources of generateTenantDataset(options, ownBlock)) {
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
