import { workerData, type MessagePort } from 'node:worker_threads';
import type { DrawnPools } from './poolsDrawnAhead.js';
import { buildTenantPools } from './tenantPools.js';

// Run by drawTenantPoolsAhead: each tenant's pools posted as soon as they are drawn.
const { seeds, port } = workerData as { seeds: number[]; port: MessagePort };
for (const seed of seeds) port.postMessage({ seed, pools: buildTenantPools(seed) } satisfies DrawnPools);
port.close();
