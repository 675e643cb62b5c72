import type { ProviderDirectory } from './providerDirectory.js';
import type { TenantPools } from './tenantPools.js';

/** What every patient of a tenant draws from: built once per tenant. */
export interface StoryContext {
  pools: TenantPools;
  directory: ProviderDirectory;
  /** "Now" for the generated world: every event happens before it. */
  referenceMs: number;
}
