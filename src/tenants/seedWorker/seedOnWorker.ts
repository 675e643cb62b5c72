import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TenantDataOptions } from '../../data/tenantDataOptions.js';
import type { ResourceStore } from '../../fhir/store/resourceStore.js';
import { packageRoot } from '../../lib/packageRoot.js';
import type { SeedWorkerMessage } from './seedWorkerMessage.js';

/** The worker as tsc builds it: the CLI's bundle and the tests (which run from src/) both start this file. */
export const SEED_WORKER_FILE = path.join(packageRoot, 'dist', 'tenants', 'seedWorker', 'seedWorkerThread.js');

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
 * Fills `store` with the tenant's generated dataset, generated, serialised and indexed on a worker
 * thread while this one only appends what it receives, in order (so slots, ids and bytes are those
 * of seeding here). Each batch is stored in one event-loop turn, so /healthz and the dashboard keep
 * answering; `onPatients` learns how many more patients are complete after each. Rejects with a
 * SeedWorkerError when the worker cannot start, throws, or exits before it is done.
 */
export function seedOnWorker(store: ResourceStore, options: TenantDataOptions, onPatients: (patients: number) => void, workerFile = SEED_WORKER_FILE): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let worker: Worker | undefined;
    const fail = (reason: string): void => {
      if (settled) return;
      settled = true;
      void worker?.terminate();
      reject(new SeedWorkerError(options.tenantId, reason));
    };
    try {
      // No node flags of the process's own: they may be ones a worker refuses.
      worker = new Worker(workerFile, { workerData: options, execArgv: [] });
    } catch (error) {
      fail(describe(error));
      return;
    }
    worker.on('message', (message: SeedWorkerMessage) => {
      if (settled) return;
      if (message.kind === 'done') {
        settled = true;
        resolve();
        return;
      }
      try {
        store.addPrepared(message.batch);
      } catch (error) {
        fail(`its records could not be stored: ${describe(error)}`);
        return;
      }
      onPatients(message.batch.patients);
    });
    worker.on('error', (error) => fail(describe(error)));
    worker.on('exit', (code) => fail(`the worker exited (code ${code}) before it was done`));
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
