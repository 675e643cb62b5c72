import type { TenantProfile } from '../../config/profileSchema.js';

/** What the generation worker plans from: the profile's tenants and the run's seed, as the CLI resolved them. */
export interface PregenerationInput {
  readonly tenants: readonly TenantProfile[];
  readonly seed: number;
  readonly referenceDate: string;
  readonly profileFile: string;
  readonly dataDir: string | undefined;
}

/**
 * Worker to main thread, tenant by tenant in plan order: the request a tenant's records are generated
 * from (JSON, compared with the main thread's own), its batches as JSON texts (a few dozen a message),
 * then its end. `failed` means the worker stopped: the main thread generates whatever it has not received.
 */
export type PregenerationMessage =
  | { readonly kind: 'tenant'; readonly tenantId: string; readonly request: string }
  | { readonly kind: 'chunk'; readonly tenantId: string; readonly batches: readonly string[] }
  | { readonly kind: 'end'; readonly tenantId: string }
  | { readonly kind: 'failed' };

/**
 * Main thread to worker: a chunk was taken (the worker keeps a few ahead, no more), or the main thread
 * generates this tenant itself because the worker had not started it when it was wanted.
 */
export type PregenerationReply = { readonly kind: 'taken' } | { readonly kind: 'claimed'; readonly tenantId: string };

/** Chunks the worker makes ahead of the main thread: enough to keep both busy, bounded for a 100k-patient tenant. */
export const CHUNKS_AHEAD = 4;

/** Batches (one per patient) in one chunk. */
export const BATCHES_PER_CHUNK = 64;
