import { deriveSeed } from '../lib/random.js';

/** The seed everything of one tenant is drawn from: tenants never influence each other. */
export function tenantSeedOf(seed: number, tenantId: string): number {
  return deriveSeed(seed, `tenant:${tenantId}`);
}

/** The seed of a tenant's name and address pools. */
export function tenantPoolsSeedOf(seed: number, tenantId: string): number {
  return poolsSeedOf(tenantSeedOf(seed, tenantId));
}

export function poolsSeedOf(tenantSeed: number): number {
  return deriveSeed(tenantSeed, 'pools');
}
