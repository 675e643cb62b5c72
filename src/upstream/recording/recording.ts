import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dbJsonPath, ndjsonDir, restoreStoreState, storeState, writeDbJson, writeNdjson } from '../../data/files/storeFiles.js';
import { ResourceStore } from '../../fhir/store/resourceStore.js';
import type { FhirVersion, Resource } from '../../fhir/types.js';
import { validateResource } from '../../fhir/validation/validateResource.js';
import { adapterFor } from '../../fhir/versions/index.js';
import type { Clock } from '../../lib/clock.js';
import { IdentityMasker } from './identityMasker.js';

export interface RecordingOptions {
  /** The folder recordings go to: this tenant's files are `<dir>/<tenant id>/db.json`, `ndjson/`, `metadata.json`. */
  dir: string;
  tenantId: string;
  fhirVersion: FhirVersion;
  /** The upstream's base: references to it are stored relative, so the recording does not point at the upstream. */
  upstreamBase: string;
  /** Mask names and identifiers with this seed; undefined records resources as they were served. */
  maskSeed?: number | undefined;
  clock: Clock;
  /** What was left out of the recording, or could not be written; said once per reason. */
  warn: (message: string) => void;
  /** Write this long after the last new resource (and at flush); undefined writes only at flush. */
  writeDelayMs?: number | undefined;
}

// Not data: answers about the request or the server, never stored.
const NOT_RECORDED = new Set(['OperationOutcome', 'Bundle', 'CapabilityStatement', 'Conformance', 'Parameters']);

/**
 * Everything an upstream tenant served, kept as a tenant data folder: one copy per type and id (the
 * most recently updated wins; a DELETE that went through leaves the id deleted), written in the same
 * db.json and NDJSON layout `seed --out` writes, so `--data` starts a tenant from it and answers
 * offline. A resource the tenant's version does not define, or that does not validate, is left out
 * (a replay must load), with one warning per type.
 */
export class Recording {
  readonly #options: RecordingOptions;
  readonly #store: ResourceStore;
  readonly #warned = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #dirty = false;

  constructor(options: RecordingOptions) {
    this.#options = options;
    this.#store = new ResourceStore(adapterFor(options.fhirVersion), options.clock);
  }

  get dbJsonFile(): string {
    return dbJsonPath(this.#options.dir, this.#options.tenantId);
  }

  get metadataFile(): string {
    return path.join(path.dirname(this.dbJsonFile), 'metadata.json');
  }

  get masked(): boolean {
    return this.#options.maskSeed !== undefined;
  }

  /** How many resources of each type the recording holds. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.#store.types().map((type) => [type, this.#store.count(type)]));
  }

  observe(served: Resource): void {
    const type = served.resourceType;
    if (NOT_RECORDED.has(type)) return;
    const id = served.id;
    if (typeof id !== 'string' || id === '') return;
    if (!this.#store.adapter.resourceTypes.includes(type)) {
      return this.#warnOnce(`type ${type}`, `${type} is not a type this sandbox's ${this.#release} server serves: not recorded`);
    }
    const resource = relativeReferences(served, `${this.#options.upstreamBase}/`);
    const issue = validateResource(this.#options.fhirVersion, resource)[0];
    if (issue !== undefined) {
      return this.#warnOnce(`invalid ${type}`, `${type}/${id} is not a valid ${this.#release} resource (${issue.path}: ${issue.message}): not recorded, nor are other invalid ${type}s`);
    }
    const existing = this.#store.read(type, id);
    const updated = Date.parse(resource.meta?.lastUpdated ?? '');
    if (existing.status === 'found' && Number.isFinite(updated) && existing.record.lastUpdated > updated) return;
    this.#store.add(resource);
    this.#changed();
  }

  /** A DELETE went through: a replay answers 410 for it, as the upstream would. */
  forget(type: string, id: string): void {
    if (this.#store.remove(type, id)) this.#changed();
  }

  /** The upstream's metadata document, beside the data. */
  async saveCapability(capability: Resource): Promise<void> {
    await mkdir(path.dirname(this.metadataFile), { recursive: true });
    await writeFile(this.metadataFile, `${JSON.stringify(capability, null, 2)}\n`);
  }

  /** Writes what is not on disk yet; resolves when it is (or when writing failed, which was reported). */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#writing = this.#writing.then(() => this.#write());
    return this.#writing;
  }

  get #release(): string {
    return this.#options.fhirVersion.toUpperCase();
  }

  #changed(): void {
    this.#dirty = true;
    const delay = this.#options.writeDelayMs;
    if (delay === undefined || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, delay);
    this.#timer.unref();
  }

  async #write(): Promise<void> {
    if (!this.#dirty) return;
    this.#dirty = false;
    const store = this.masked ? this.#maskedCopy() : this.#store;
    try {
      await mkdir(ndjsonDir(this.#options.dir, this.#options.tenantId), { recursive: true });
      await writeDbJson(store, this.dbJsonFile);
      await writeNdjson(store, ndjsonDir(this.#options.dir, this.#options.tenantId));
    } catch (error) {
      this.#dirty = true;
      this.#options.warn(`recording of tenant ${this.#options.tenantId} not written to ${this.dbJsonFile}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The recording with every identity masked; learnt from all of it first, so a name in one resource's text is masked too. */
  #maskedCopy(): ResourceStore {
    const masker = new IdentityMasker(this.#options.maskSeed as number);
    const types = this.#store.types();
    for (const type of types) for (const resource of this.#store.list(type)) masker.learn(resource);
    const masked = new ResourceStore(this.#store.adapter, this.#options.clock);
    for (const type of types) for (const resource of this.#store.list(type)) masked.add(masker.mask(resource));
    const state = storeState(this.#store);
    if (state !== undefined) restoreStoreState(masked, state);
    return masked;
  }

  #warnOnce(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#options.warn(`recording of tenant ${this.#options.tenantId}: ${message}`);
  }
}

/** The resource with every `reference` under the upstream's base made relative ("Patient/1"). */
function relativeReferences(resource: Resource, basePrefix: string): Resource {
  const text = JSON.stringify(resource);
  if (!text.includes(basePrefix)) return resource;
  return JSON.parse(text, (key, value: unknown) => (key === 'reference' && typeof value === 'string' && value.startsWith(basePrefix) ? value.slice(basePrefix.length) : value)) as Resource;
}
