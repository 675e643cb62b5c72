import { availableParallelism } from 'node:os';
import type { SandboxConfig } from '../config/sandboxConfig.js';
import { drawTenantPoolsAhead } from '../data/story/poolsDrawnAhead.js';
import { tenantPoolsSeedOf } from '../data/tenantSeeds.js';

/**
 * Starts drawing the name and address pools of every tenant the profile may generate, on a worker
 * thread; on a single core the worker would only take turns with the main thread, so seeding draws them.
 */
export function drawPoolsAhead(config: SandboxConfig): Promise<void> {
  if (availableParallelism() < 2) return Promise.resolve();
  const generated = config.profile.tenants.filter((tenant) => tenant.upstream === undefined);
  // Tenant ids as the tenant directory keys them, which is what seeding derives the seeds from.
  return drawTenantPoolsAhead(generated.map((tenant) => tenantPoolsSeedOf(config.seed, tenant.id.toLowerCase())));
}
