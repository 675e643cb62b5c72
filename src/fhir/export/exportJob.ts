import type { ExportKickoff } from './exportKickoff.js';
import type { NdjsonLine } from './ndjsonChunks.js';

/** Who started an export: only the same client of the same tenant may poll, download or cancel it. */
export interface ExportOwner {
  readonly tenantId: string;
  readonly clientId: string;
}

/** One NDJSON file of an export: one resource type (or OperationOutcome, for the error list). */
export interface ExportFile {
  /** Unique within the export, e.g. "Observation-2.ndjson": the last segment of its URL. */
  readonly name: string;
  readonly type: string;
  readonly lines: readonly NdjsonLine[];
  readonly byteLength: number;
}

export type ExportJobState = 'in-progress' | 'complete' | 'failed';

/** An export's progress: records (system exports) or patients (Patient and Group exports) walked, of all, and what is being read. */
export interface ExportProgress {
  readonly done: number;
  readonly total: number;
  readonly type: string | undefined;
}

/** One kick-off's export, from the snapshot to the files it produced. Mutated only by ExportJobs. */
export class ExportJob {
  state: ExportJobState = 'in-progress';
  progress: ExportProgress = { done: 0, total: 0, type: undefined };
  output: readonly ExportFile[] = [];
  errors: readonly ExportFile[] = [];
  /** Epoch ms the files were ready; exports expire a fixed time after it. */
  completedAt: number | undefined;
  /** Why a failed export failed (an internal error; the status URL answers 500). */
  failure: string | undefined;
  /** Set by a DELETE: the running job stops at its next slice and lets go of everything. */
  cancelled = false;

  constructor(
    readonly id: string,
    readonly owner: ExportOwner,
    readonly kickoff: ExportKickoff,
    /** Epoch ms of the snapshot: the manifest's transactionTime. */
    readonly transactionTime: number,
  ) {}

  /** The file named `name` of a finished export, among its output and its error files. */
  file(name: string): ExportFile | undefined {
    return this.output.find((file) => file.name === name) ?? this.errors.find((file) => file.name === name);
  }
}
