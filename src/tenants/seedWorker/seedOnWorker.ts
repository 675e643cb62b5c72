import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TenantDataOptions } from '../../data/tenantDataOptions.js';
import type { PreparedBatch } from '../../fhir/store/preparedBatch.js';
import type { ResourceStore } from '../../fhir/store/resourceStore.js';
import { packageRoot } from '../../lib/packageRoot.js';
import type { SeedWorkerMessage, SeedWorkerTask } from './seedWorkerMessage.js';

/** The worker as tsc builds it: the CLI's bundle and the tests (which run from src/) both start this file. */
export const SEED_WORKER_FILE = path.join(packageRoot, 'dist', 'tenants', 'seedWorker', 'seedWorkerThread.js');

/** About one 8 MB chunk of records: blocks alternate between workers, so each ends with a part-filled chunk. */
export const BLOCK_BATCHES = 256;

/** How a tenant is split between workers; tests make blocks small so that a small tenant alternates. */
export interface SeedWorkerSplit {
  workers: number;
  blockBatches: number;
  workerFile: string;
}

/** One worker per core, up to two: each generates the whole dataset, so more would mostly repeat that. */
export function defaultSeedWorkerSplit(): SeedWorkerSplit {
  return { workers: Math.min(2, Math.max(1, availableParallelism())), blockBatches: BLOCK_BATCHES, workerFile: SEED_WORKER_FILE };
}

/** Seeding a tenant on a worker thread failed: the start stops with this rather than waiting forever. */
export class SeedWorkerError extends Error {
  readonly code = 'SEED_WORKER_FAILED';
  readonly tenantId: string;

  constructor(tenantId: string, reason: string) {
    super(`seeding tenant ${tenantId} on a worker thread failed: ${reason}`);
    this.name = 'SeedWorkerError';
    this.tenantId = tenantId;
  }
}

/**
 * Fills `store` with the tenant's generated dataset, generated, serialised and indexed on worker
 * threads (each prepares every n-th block of batches) while this one only appends what it receives,
 * block after block in the dataset's order (so slots, ids and bytes are those of seeding here). Each
 * message is stored in one event-loop turn, so /healthz and the dashboard keep answering;
 * `onPatients` learns how many more patients are complete after each. Rejects with a SeedWorkerError
 * when a worker cannot start, throws, or exits before it is done.
 */
export function seedOnWorker(
  store: ResourceStore,
  options: TenantDataOptions,
  onPatients: (patients: number) => void,
  split: SeedWorkerSplit = defaultSeedWorkerSplit(),
): Promise<void> {
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    /** Blocks that arrived before their turn, by block number. */
    const waiting = new Map<number, Array<Extract<SeedWorkerMessage, { kind: 'batches' }>>>();
    let nextBlock = 0;
    let running = split.workers;
    let settled = false;
    const fail = (reason: string): void => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      reject(new SeedWorkerError(options.tenantId, reason));
    };
    const storeBatches = (batches: readonly PreparedBatch[]): void => {
      for (const batch of batches) {
        store.addPrepared(batch);
        onPatients(batch.patients);
      }
    };
    const receive = (message: Extract<SeedWorkerMessage, { kind: 'batches' }>): void => {
      if (message.block !== nextBlock) {
        const queued = waiting.get(message.block) ?? [];
        queued.push(message);
        waiting.set(message.block, queued);
        return;
      }
      storeBatches(message.batches);
      if (!message.endsBlock) return;
      nextBlock++;
      // The next block may have arrived whole (or in part) while this one was stored.
      const queued = waiting.get(nextBlock);
      if (queued === undefined) return;
      waiting.delete(nextBlock);
      for (const early of queued) receive(early);
    };
    for (let share = 0; share < split.workers; share++) {
      const task: SeedWorkerTask<TenantDataOptions> = { options, share, shares: split.workers, blockBatches: split.blockBatches };
      let done = false;
      let worker: Worker;
      try {
        // No node flags of the process's own: they may be ones a worker refuses.
        worker = new Worker(split.workerFile, { workerData: task, execArgv: [] });
      } catch (error) {
        fail(describe(error));
        return;
      }
      workers.push(worker);
      worker.on('message', (message: SeedWorkerMessage) => {
        if (settled) return;
        if (message.kind === 'done') {
          done = true;
          if (--running > 0) return;
          if (waiting.size > 0) {
            fail(`blocks ${[...waiting.keys()].join(', ')} arrived, block ${nextBlock} never did`);
            return;
          }
          settled = true;
          resolve();
          return;
        }
        try {
          receive(message);
        } catch (error) {
          fail(`its records could not be stored: ${describe(error)}`);
        }
      });
      worker.on('error', (error) => fail(describe(error)));
      worker.on('exit', (code) => {
        if (!done) fail(`the worker exited (code ${code}) before it was done`);
      });
    }
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
