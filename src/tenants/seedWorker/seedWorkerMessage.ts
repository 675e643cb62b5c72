import type { PreparedBatch } from '../../fhir/store/preparedBatch.js';

/** What a seeding worker is asked: the tenant's generation options, and which blocks of its batches it prepares. */
export interface SeedWorkerTask<Options> {
  options: Options;
  /** This worker prepares blocks `share`, `share + shares`, …; the others are generated and skipped. */
  share: number;
  shares: number;
  /** Generator batches (one patient each, or the directory, or the Groups) per block. */
  blockBatches: number;
}

/**
 * What a seeding worker posts, in order: its blocks' batches as they fill (a block may take several
 * chunks, or none; the message that ends a block says so), then `done`. A failure arrives as the
 * worker's error.
 */
export type SeedWorkerMessage = { kind: 'batches'; block: number; endsBlock: boolean; batches: PreparedBatch[] } | { kind: 'done' };
