import { Worker } from 'node:worker_threads';
import type { TenantPools } from './tenantPools.js';

/**
 * Tenant pools drawn on a worker thread while the main thread is still loading the server: faker
 * costs microseconds per name, a good part of a start-up when drawn on the main thread. A tenant's
 * pools are a pure function of their seed, so pools drawn here are exactly the ones seeding would
 * draw; seeding takes them when they are here and draws its own otherwise (a worker that failed, a
 * caller that never drew ahead).
 */
const drawnAhead = new Map<number, TenantPools>();

/** Resolves once the pools are here, or once drawing them failed (seeding then draws its own). */
export function drawTenantPoolsAhead(seeds: readonly number[]): Promise<void> {
  const missing = seeds.filter((seed) => !drawnAhead.has(seed));
  if (missing.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      // No node flags of the process's own: the worker only draws names (and --input-type, say, would stop it).
      worker = new Worker(new URL('./tenantPoolsWorker.js', import.meta.url), { workerData: missing, execArgv: [] });
    } catch {
      resolve();
      return;
    }
    worker.once('message', (pools: TenantPools[]) => {
      pools.forEach((drawn, index) => drawnAhead.set(missing[index] as number, drawn));
      resolve();
    });
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
}

/** The pools drawn ahead for this seed, handed out once. */
export function takeDrawnPools(seed: number): TenantPools | undefined {
  const pools = drawnAhead.get(seed);
  drawnAhead.delete(seed);
  return pools;
}
