import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { OutcomeIssue } from '../errors.js';
import { forbidden, notFound, operationOutcome, tooManyRequests } from '../outcome.js';
import type { ResourceStore } from '../store/resourceStore.js';
import type { StoredRecord } from '../store/storedRecord.js';
import type { VersionAdapter } from '../versions/versionAdapter.js';
import type { ExportKickoff } from './exportKickoff.js';
import { ExportJob, type ExportFile, type ExportOwner } from './exportJob.js';
import { openExportSnapshot, type ExportSnapshot } from './exportSnapshot.js';
import { walkPatients, walkTables, type ExportSink } from './exportWalk.js';
import { jsonLine, ndjsonByteLength, type NdjsonLine } from './ndjsonChunks.js';

export interface ExportSettings {
  /** A type's resources are split into files of at most this many lines. */
  resourcesPerFile: number;
  /** A finished export's files are deleted this long after it completed. */
  expiresAfterMs: number;
  /** Records looked at between two yields to the event loop. */
  recordsPerSlice: number;
  /** Exports one client may hold per tenant (running or finished and not yet expired or deleted). */
  maxJobsPerOwner: number;
  /** Lets other requests run between slices; tests pass one they release by hand. */
  yieldToLoop: () => Promise<void>;
  /** Job ids are random, so a status URL from an earlier run never names a job of this one. */
  newJobId: () => string;
}

export const DEFAULT_EXPORT_SETTINGS: Readonly<ExportSettings> = Object.freeze({
  resourcesPerFile: 100_000,
  expiresAfterMs: 60 * 60 * 1000,
  recordsPerSlice: 10_000,
  maxJobsPerOwner: 5,
  yieldToLoop: () => new Promise<void>((resolve) => setImmediate(resolve)),
  newJobId: () => randomUUID(),
});

/** Where an export reads from: one hospital's store, in its FHIR version. */
export interface ExportProvider {
  adapter: VersionAdapter;
  store: ResourceStore;
}

/**
 * Every Bulk Data export of the sandbox: kick-off (a snapshot of the tables opened at once, copying
 * nothing, then a job that walks it in slices, yielding between them), status, files, cancel and
 * expiry. The files are lists of stored records, streamed on download from the bytes the store
 * already holds: nothing is copied to disk or serialised again, and a finished export holds one
 * reference per exported resource.
 */
export class ExportJobs {
  readonly settings: Readonly<ExportSettings>;
  readonly #clock: Clock;
  readonly #jobs = new Map<string, ExportJob>();

  constructor(clock: Clock, settings: Partial<ExportSettings> = {}) {
    this.#clock = clock;
    this.settings = Object.freeze({ ...DEFAULT_EXPORT_SETTINGS, ...settings });
  }

  /** Opens the snapshot now and starts the job; refused (429) when the owner already holds its limit. */
  start(kickoff: ExportKickoff, provider: ExportProvider, owner: ExportOwner): ExportJob {
    this.#sweep();
    const held = [...this.#jobs.values()].filter((job) => sameOwner(job.owner, owner)).length;
    if (held >= this.settings.maxJobsPerOwner) {
      throw tooManyRequests(`this client already holds ${held} exports of this tenant: DELETE a finished one's status URL, or wait until one expires`);
    }
    const snapshot = openExportSnapshot(kickoff, provider.store);
    const job = new ExportJob(this.settings.newJobId(), owner, kickoff, this.#clock.now());
    this.#jobs.set(job.id, job);
    void this.#run(job, snapshot, provider);
    return job;
  }

  /** The owner's export; another tenant's is not found, another client's of the same tenant forbidden. */
  get(id: string, owner: ExportOwner): ExportJob {
    this.#sweep();
    const job = this.#jobs.get(id);
    if (job === undefined || job.owner.tenantId !== owner.tenantId) throw notFound(`no export ${id}: it never existed, was deleted, or expired`);
    if (job.owner.clientId !== owner.clientId) throw forbidden(`export ${id} belongs to another client`);
    return job;
  }

  /** Cancels a running export or deletes a finished one's files; either way it is gone. */
  delete(id: string, owner: ExportOwner): void {
    const job = this.get(id, owner);
    job.cancelled = true;
    this.#jobs.delete(id);
  }

  /** When a finished export's files go away; undefined while it runs. */
  expiresAt(job: ExportJob): number | undefined {
    return job.completedAt === undefined ? undefined : job.completedAt + this.settings.expiresAfterMs;
  }

  /** Exports held now, running or finished. */
  get size(): number {
    this.#sweep();
    return this.#jobs.size;
  }

  async #run(job: ExportJob, snapshot: ExportSnapshot, provider: ExportProvider): Promise<void> {
    const files = new Map<string, FileSplitter>();
    const sink: ExportSink = {
      add: (type, record) => {
        let splitter = files.get(type);
        if (splitter === undefined) files.set(type, (splitter = new FileSplitter(type, this.settings.resourcesPerFile)));
        splitter.add(record);
      },
      progress: (done, total, label) => {
        job.progress = { done, total, type: label };
      },
    };
    const options = {
      since: job.kickoff.since,
      recordsPerSlice: this.settings.recordsPerSlice,
      pace: async () => {
        await this.settings.yieldToLoop();
        return !job.cancelled;
      },
    };
    try {
      const finished = job.kickoff.level.kind === 'system' ? await walkTables(snapshot, sink, options) : await walkPatients(snapshot, provider.store, sink, options);
      if (!finished) return;
      job.output = job.kickoff.types.flatMap((type) => files.get(type)?.close() ?? []);
      const issues = [...job.kickoff.ignored, ...snapshot.issues];
      job.errors = issues.length === 0 ? [] : [errorFile(issues, provider.adapter)];
      job.completedAt = this.#clock.now();
      job.state = 'complete';
    } catch (error) {
      job.state = 'failed';
      job.failure = error instanceof Error ? error.message : String(error);
    } finally {
      snapshot.close();
    }
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (const [id, job] of this.#jobs) {
      const expiresAt = this.expiresAt(job);
      if (expiresAt !== undefined && now >= expiresAt) this.#jobs.delete(id);
    }
  }
}

function sameOwner(a: ExportOwner, b: ExportOwner): boolean {
  return a.tenantId === b.tenantId && a.clientId === b.clientId;
}

/** Cuts one type's records into files of at most `perFile` lines: Observation-1.ndjson, Observation-2.ndjson, … */
class FileSplitter {
  readonly #files: ExportFile[] = [];
  #current: StoredRecord[] = [];

  constructor(
    readonly type: string,
    readonly perFile: number,
  ) {}

  add(record: StoredRecord): void {
    this.#current.push(record);
    if (this.#current.length >= this.perFile) this.#flush();
  }

  close(): ExportFile[] {
    if (this.#current.length > 0) this.#flush();
    return this.#files;
  }

  #flush(): void {
    const lines: readonly NdjsonLine[] = this.#current;
    this.#files.push({ name: `${this.type}-${this.#files.length + 1}.ndjson`, type: this.type, lines, byteLength: ndjsonByteLength(lines) });
    this.#current = [];
  }
}

/** The manifest's error file: one OperationOutcome per issue, in the version's shape. */
function errorFile(issues: readonly OutcomeIssue[], adapter: VersionAdapter): ExportFile {
  const lines = issues.map((issue) => jsonLine(operationOutcome([issue], adapter)));
  return { name: 'OperationOutcome-1.ndjson', type: 'OperationOutcome', lines, byteLength: ndjsonByteLength(lines) };
}
