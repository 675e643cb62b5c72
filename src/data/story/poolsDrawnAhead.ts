import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { TenantPools } from './tenantPools.js';

/**
 * Tenant pools drawn on a worker thread while the main thread is still loading the server: faker
 * costs microseconds per name, a good part of a start-up when drawn on the main thread. A tenant's
 * pools are a pure function of their seed, so pools drawn there are exactly the ones seeding would
 * draw. Seeding never waits for them: it takes a tenant's pools if they have arrived (read from the
 * worker's port synchronously) and draws its own otherwise (a busy machine, a worker that failed).
 */
export interface DrawnPools {
  seed: number;
  pools: TenantPools;
}

const arrivals: MessagePort[] = [];
const drawnAhead = new Map<number, TenantPools>();

/** Starts the worker; resolves once it has finished (seeding needs not wait: the pools are taken as they arrive). */
export function drawTenantPoolsAhead(seeds: readonly number[]): Promise<void> {
  if (seeds.length === 0) return Promise.resolve();
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    // No node flags of the process's own: the worker only draws names (and --input-type, say, would stop it).
    worker = new Worker(new URL('./tenantPoolsWorker.js', import.meta.url), { workerData: { seeds, port: port2 }, transferList: [port2], execArgv: [] });
  } catch {
    port1.close();
    return Promise.resolve();
  }
  arrivals.push(port1);
  return new Promise((resolve) => {
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
}

/** The pools drawn ahead for this seed if they have arrived, handed out once. */
export function takeDrawnPools(seed: number): TenantPools | undefined {
  for (const port of arrivals) {
    for (let arrived = receiveMessageOnPort(port); arrived !== undefined; arrived = receiveMessageOnPort(port)) {
      const { seed: drawnFor, pools } = arrived.message as DrawnPools;
      drawnAhead.set(drawnFor, pools);
    }
  }
  const pools = drawnAhead.get(seed);
  drawnAhead.delete(seed);
  return pools;
}
