import { parentPort, workerData } from 'node:worker_threads';
import { buildTenantPools } from './tenantPools.js';

// Run by drawTenantPoolsAhead: one tenant's pools for each seed, in order.
parentPort?.postMessage((workerData as number[]).map(buildTenantPools));
