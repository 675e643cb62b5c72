import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { dbJsonPath, writeDbJson } from '../data/files/storeFiles.js';
import type { EventBus } from '../events/eventBus.js';
import type { Clock } from '../lib/clock.js';
import type { Tenant, TenantDirectory } from './tenantDirectory.js';

export interface Persistence {
  /** Writes whatever is still pending; the CLI awaits it on shutdown. */
  flush(): Promise<void>;
}

// Edits come in bursts (a batch, a script); one write after the burst is enough.
const WRITE_DELAY_MS = 250;

/**
 * --persist: after edits, rewrite the tenant's db.json (atomically, so a crash mid-write leaves the
 * previous file). A tenant that has no file yet gets one as soon as it is seeded.
 */
export function persistTenants(tenants: TenantDirectory, dataDir: string, seeded: Promise<void>, events: EventBus, clock: Clock): Persistence {
  const writers = tenants.list().map((tenant) => new TenantWriter(tenant, dbJsonPath(dataDir, tenant.id), events, clock));
  void seeded.then(() => {
    for (const writer of writers) {
      writer.tenant.store.onEdit(() => writer.schedule());
      writer.schedule();
    }
  }, () => undefined);
  return { flush: async () => void (await Promise.all(writers.map((writer) => writer.flush()))) };
}

class TenantWriter {
  readonly tenant: Tenant;
  readonly #file: string;
  readonly #events: EventBus;
  readonly #clock: Clock;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #dirty = false;

  constructor(tenant: Tenant, file: string, events: EventBus, clock: Clock) {
    this.tenant = tenant;
    this.#file = file;
    this.#events = events;
    this.#clock = clock;
  }

  schedule(): void {
    this.#dirty = true;
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#write();
    }, WRITE_DELAY_MS);
    this.#timer.unref();
  }

  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    await this.#write();
  }

  /** One write at a time; edits during a write make another one follow. */
  #write(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      try {
        await mkdir(path.dirname(this.#file), { recursive: true });
        await writeDbJson(this.tenant.store, this.#file);
      } catch (error) {
        this.#dirty = true;
        this.#events.emit({ type: 'warning', at: this.#clock.now(), message: `could not write ${this.#file}: ${(error as Error).message}` });
      }
    });
    return this.#writing;
  }
}
