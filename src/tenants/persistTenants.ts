import { mkdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTemporaryFiles } from '../data/files/atomicWrite.js';
import { dbJsonPath, idReservationPath, writeDbJson, writeIdReservation } from '../data/files/storeFiles.js';
import type { EventBus } from '../events/eventBus.js';
import type { ResourceStore } from '../fhir/store/resourceStore.js';
import type { Clock } from '../lib/clock.js';
import type { SaveStatus, Tenant, TenantDirectory } from './tenantDirectory.js';

/** A tenant whose edits are not on disk when the sandbox stops. */
export interface UnsavedTenant {
  tenantId: string;
  name: string;
  file: string;
  error: string;
}

export interface Persistence {
  /** Writes whatever is still pending, once more; the tenants still unsaved afterwards (empty when all is on disk). */
  flush(): Promise<UnsavedTenant[]>;
}

export interface PersistOptions {
  /** How a store is written to its file; tests inject failures (a full or read-only disk) here. */
  write?: (store: ResourceStore, file: string) => Promise<void>;
  /** How an id ceiling is stored (see ResourceStore.reserveIdsWith); tests inject failures here. */
  reserveIds?: (file: string, idsReservedBelow: number) => void;
  /** Waits between retries of a failing write; the last one repeats until the write succeeds. */
  retryDelaysMs?: readonly number[];
}

// Edits come in bursts (a batch, a script); one write after the burst is enough.
const WRITE_DELAY_MS = 250;
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000];
// Ids are reserved on disk this many at a time: one small synchronous write per block of creates.
const ID_BLOCK = 1_000;

/**
 * --persist: after edits, rewrite the tenant's db.json (atomically, so a crash mid-write leaves the
 * previous file). A tenant that has no file yet gets one as soon as it is seeded. A write that fails
 * (disk full, read-only) is retried until it succeeds; meanwhile the tenant's `save` status says so
 * and a `persistence` event tells the dashboard and the log.
 */
export function persistTenants(
  tenants: TenantDirectory,
  dataDir: string,
  seeded: Promise<void>,
  events: EventBus,
  clock: Clock,
  options: PersistOptions = {},
): Persistence {
  // A tenant served by its upstream holds nothing of its own: a file for it would replay as an empty tenant.
  const writers = tenants.list().filter((tenant) => tenant.upstream === undefined).map((tenant) => {
    const file = dbJsonPath(dataDir, tenant.id);
    const idsFile = idReservationPath(dataDir, tenant.id);
    for (const target of [file, idsFile]) {
      const removed = removeStaleTemporaryFiles(target);
      if (removed.length > 0) {
        events.emit({ type: 'warning', at: clock.now(), message: `removed ${removed.length} temporary file(s) left by an interrupted write of ${target}: ${removed.join(', ')}` });
      }
    }
    const writer = new TenantWriter(tenant, file, events, clock, options);
    tenant.store.reserveIdsWith((next) => writer.reserveIds(idsFile, next));
    return writer;
  });
  void seeded.then(() => {
    for (const writer of writers) {
      writer.tenant.store.onEdit(() => writer.schedule(WRITE_DELAY_MS));
      writer.schedule(WRITE_DELAY_MS);
    }
  }, () => undefined);
  return {
    flush: async () => {
      await Promise.all(writers.map((writer) => writer.flush()));
      return writers.flatMap((writer) => writer.unsaved());
    },
  };
}

class TenantWriter {
  readonly tenant: Tenant;
  readonly #status: SaveStatus;
  readonly #events: EventBus;
  readonly #clock: Clock;
  readonly #write: (store: ResourceStore, file: string) => Promise<void>;
  readonly #retryDelaysMs: readonly number[];
  readonly #reserve: ((file: string, idsReservedBelow: number) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  /** Edits since the last write began; a write clears it and puts it back if it fails. */
  #dirty = false;

  constructor(tenant: Tenant, file: string, events: EventBus, clock: Clock, options: PersistOptions) {
    this.tenant = tenant;
    this.#status = { file, unsaved: false, savedAt: undefined, failing: undefined };
    tenant.save = this.#status;
    this.#events = events;
    this.#clock = clock;
    this.#write = options.write ?? writeToDisk;
    this.#retryDelaysMs = options.retryDelaysMs ?? RETRY_DELAYS_MS;
    this.#reserve = options.reserveIds;
  }

  schedule(delayMs: number): void {
    this.#dirty = true;
    this.#status.unsaved = true;
    this.#armTimer(delayMs);
  }

  async flush(): Promise<void> {
    this.#clearTimer();
    await this.#writeNow();
  }

  /** Stores a new id ceiling before ids below it are handed out; on failure, tries again at the next id. */
  reserveIds(idsFile: string, next: number): number {
    const below = next + ID_BLOCK;
    try {
      mkdirSync(path.dirname(idsFile), { recursive: true });
      (this.#reserve ?? writeIdReservation)(idsFile, below);
      return below;
    } catch (error) {
      this.#dirty = true;
      this.#status.unsaved = true;
      this.#failed(error);
      return next + 1;
    }
  }

  unsaved(): UnsavedTenant[] {
    if (!this.#status.unsaved) return [];
    const error = this.#status.failing?.error ?? 'the write did not finish';
    return [{ tenantId: this.tenant.id, name: this.tenant.name, file: this.#status.file, error }];
  }

  #armTimer(delayMs: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#writeNow();
    }, delayMs);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One write at a time; edits during a write make another one follow. */
  #writeNow(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      try {
        await this.#write(this.tenant.store, this.#status.file);
        this.#succeeded();
      } catch (error) {
        this.#dirty = true;
        this.#failed(error);
      }
    });
    return this.#writing;
  }

  #succeeded(): void {
    const failing = this.#status.failing;
    this.#status.savedAt = this.#clock.now();
    this.#status.failing = undefined;
    if (!this.#dirty) this.#status.unsaved = false;
    if (failing !== undefined) {
      const message = `tenant ${this.tenant.id}: saved to ${this.#status.file} again after ${failing.attempts} failed write(s)`;
      this.#events.emit({ type: 'persistence', at: this.#clock.now(), tenantId: this.tenant.id, file: this.#status.file, state: 'recovered', message });
    }
  }

  #failed(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const previous = this.#status.failing;
    const attempts = (previous?.attempts ?? 0) + 1;
    this.#status.failing = { error: reason, since: previous?.since ?? this.#clock.now(), attempts };
    // One event when writes start failing and one when the reason changes, not one per retry.
    if (previous === undefined || previous.error !== reason) {
      const message = `tenant ${this.tenant.id}: edits not saved, cannot write ${this.#status.file} (${reason}); retrying`;
      this.#events.emit({ type: 'persistence', at: this.#clock.now(), tenantId: this.tenant.id, file: this.#status.file, state: 'failing', message });
    }
    const delays = this.#retryDelaysMs;
    this.#armTimer(delays[Math.min(attempts, delays.length) - 1] ?? WRITE_DELAY_MS);
  }
}

async function writeToDisk(store: ResourceStore, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeDbJson(store, file);
}
