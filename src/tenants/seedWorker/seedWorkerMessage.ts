import type { PreparedBatch } from '../../fhir/store/preparedBatch.js';

/** What a seeding worker posts, in order: its batches, then `done`. A failure arrives as the worker's error. */
export type SeedWorkerMessage = { kind: 'batch'; batch: PreparedBatch } | { kind: 'done' };
