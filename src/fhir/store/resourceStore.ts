import type { Clock } from '../../lib/clock.js';
import type { Resource } from '../types.js';
import type { VersionAdapter } from '../versions/versionAdapter.js';
import { BulkMeta } from './bulkMeta.js';
import { PLAIN_RECORD, PREPARED_HEADER_FIELDS } from './preparedBatch.js';
import type { PreparedBatch } from './preparedBatch.js';
import { JsonArena, ownJson } from './jsonArena.js';
import type { PlaceJson } from './jsonArena.js';
import { storedJson } from './storedJson.js';
import type { StoredRecord } from './storedRecord.js';
import { DEFAULT_TYPE_TABLE_LIMITS, TypeTable } from './typeTable.js';
import type { Tombstone, TypeTableLimits } from './typeTable.js';

export type { StoredRecord } from './storedRecord.js';
export type { Tombstone, TypeTableLimits } from './typeTable.js';

export type ReadResult =
  | { status: 'found'; record: StoredRecord }
  | { status: 'deleted'; tombstone: Tombstone }
  | { status: 'missing' };

/**
 * One provider's resources, kept as the JSON bytes served (read by id never re-serialises) with
 * compact per-parameter values and posting maps extracted at write time, so searches on indexed
 * parameters never scan. Writes are synchronous and complete before they touch the indexes.
 */
export class ResourceStore {
  readonly adapter: VersionAdapter;
  readonly #clock: Clock;
  readonly #tables = new Map<string, TypeTable>();
  #nextId = 1;
  #reserveIds: ((next: number) => number) | undefined;
  #reservedBelow = 0;
  #lastStamp = { ms: Number.NaN, iso: '' };
  readonly #bulkMeta = new BulkMeta();
  /** Bulk-loaded JSON; edits get buffers of their own, so replacing them frees their bytes. */
  readonly #arena = new JsonArena();
  readonly #inArena: PlaceJson = (text, dates) => this.#arena.append(text, dates);
  readonly #editListeners = new Set<() => void>();
  readonly #limits: TypeTableLimits;

  constructor(adapter: VersionAdapter, clock: Clock, limits: TypeTableLimits = DEFAULT_TYPE_TABLE_LIMITS) {
    this.adapter = adapter;
    this.#clock = clock;
    this.#limits = limits;
  }

  /**
   * Bulk load: stores the resource as given, keeping meta.versionId/lastUpdated when present
   * (a db.json written earlier), otherwise starting at version 1 now. Replaces an existing id.
   */
  add(resource: Resource): StoredRecord {
    const version = this.#bulkMeta.version(resource.meta?.versionId);
    const lastUpdated = this.#bulkMeta.time(resource.meta?.lastUpdated);
    if (version !== undefined && lastUpdated !== undefined && typeof resource.id === 'string' && resource.id !== '') {
      // Already complete (generated data, a db.json): stored exactly as given, in one stringify.
      return this.#tableFor(resource.resourceType).put(resource.id, resource, JSON.stringify(resource), this.#inArena, version, lastUpdated, true);
    }
    return this.#write(resource, version, lastUpdated, this.#inArena, true);
  }

  /**
   * Bulk load of records prepared on another thread (RecordPreparer), in order: their bytes are kept
   * as given and their index values appended, so the store ends as `add` of the same resources
   * would leave it.
   */
  addPrepared(batch: PreparedBatch): void {
    const { fields, ids, lastUpdated, strings } = batch;
    const bytes = Buffer.from(batch.bytes);
    let at = 0;
    for (let record = 0; record < ids.length; record++) {
      const table = this.#tableFor(strings[fields[at] as number] as string);
      const start = fields[at + 1] as number;
      const end = fields[at + 2] as number;
      const dateCount = fields[at + 3] as number;
      const version = fields[at + 4] as number;
      const valuesAt = at + PREPARED_HEADER_FIELDS;
      at = valuesAt + (fields[at + 5] as number);
      const id = ids[record] as string;
      if (version === PLAIN_RECORD || table.slotOf(id) !== undefined) {
        // Incomplete, or replacing a record: the ordinary path, from the text.
        this.add(JSON.parse(bytes.toString('utf8', start, end)) as Resource);
        continue;
      }
      table.appendPrepared(id, { bytes, start, end, dateCount, shared: true }, version, lastUpdated[record] as number, fields, valuesAt, strings);
    }
  }

  /** Creates or replaces; a new version, stamped now. Assigns an id when the resource has none. */
  upsert(resource: Resource): StoredRecord {
    const record = this.#write(resource, undefined, undefined, ownJson);
    this.#edited();
    return record;
  }

  /** Removes the resource, remembering its id so reads answer 410 Gone. False when it was not there. */
  remove(type: string, id: string): boolean {
    const removed = this.#tables.get(type)?.delete(id, this.#clock.now()) !== undefined;
    if (removed) this.#edited();
    return removed;
  }

  /**
   * The end of a bulk load: every index folds its appended entries into exact-size arrays now,
   * rather than on the first search (which would otherwise pay for it).
   */
  freeze(): void {
    for (const table of this.#tables.values()) table.freeze();
  }

  /** Called after every upsert or remove (not bulk `add`): how --persist learns that files are stale. */
  onEdit(listener: () => void): () => void {
    this.#editListeners.add(listener);
    return () => this.#editListeners.delete(listener);
  }

  #edited(): void {
    for (const listener of this.#editListeners) listener();
  }

  read(type: string, id: string): ReadResult {
    const table = this.#tables.get(type);
    const record = table?.recordOf(id);
    if (record !== undefined) return { status: 'found', record };
    const tombstone = table?.tombstones.get(id);
    return tombstone === undefined ? { status: 'missing' } : { status: 'deleted', tombstone };
  }

  /** Parsed copies of every resource of the type, in insertion order (for the raw-record editor). */
  list(type: string): Resource[] {
    const table = this.#tables.get(type);
    if (table === undefined) return [];
    const resources: Resource[] = [];
    for (let slot = 0; slot < table.slotCount; slot++) {
      const record = table.recordAt(slot);
      if (record !== undefined) resources.push(record.resource());
    }
    return resources;
  }

  /** Parsed copies of the first `limit` resources of the type, in the order they were stored (examples, not search). */
  first(type: string, limit: number): Resource[] {
    const found: Resource[] = [];
    const table = this.#tables.get(type);
    if (table === undefined) return found;
    for (let slot = 0; slot < table.slotCount && found.length < limit; slot++) {
      const record = table.recordAt(slot);
      if (record !== undefined) found.push(record.resource());
    }
    return found;
  }

  count(type: string): number {
    return this.#tables.get(type)?.size ?? 0;
  }

  /** Resource types that hold at least one resource. */
  types(): string[] {
    return [...this.#tables.values()].filter((table) => table.size > 0).map((table) => table.type);
  }

  /** The table search reads; undefined when nothing of the type was ever stored. */
  table(type: string): TypeTable | undefined {
    return this.#tables.get(type);
  }

  /** The number the next server-assigned id is made from; with the tombstones, what must survive a restart. */
  get idCounter(): number {
    return this.#nextId;
  }

  /** After a restart: never assign an id below `next` again, even one no longer remembered as deleted. */
  advanceIdCounter(next: number): void {
    this.#nextId = Math.max(this.#nextId, next);
  }

  /** Every remembered deleted id, type by type, oldest first. */
  *deleted(): Generator<{ type: string; id: string; tombstone: Tombstone }> {
    for (const table of this.#tables.values()) for (const [id, tombstone] of table.tombstones) yield { type: table.type, id, tombstone };
  }

  /** Remembers an id deleted before a restart (ignored when a record of that id exists: the record is newer). */
  restoreDeleted(type: string, id: string, tombstone: Tombstone): void {
    this.#tableFor(type).rememberDeleted(id, tombstone);
  }

  /**
   * With --persist, ids are handed out only below a ceiling already on disk: `reserve(next)` stores a
   * higher one (synchronously) and returns it. An id acknowledged just before a crash, whose record
   * never reached db.json, is then still never given to another resource after the restart.
   */
  reserveIdsWith(reserve: (next: number) => number): void {
    this.#reserveIds = reserve;
    this.#reservedBelow = 0;
  }

  /** A server-assigned id no resource of the type has had; deterministic, so tests and runs repeat. */
  newId(type: string): string {
    const table = this.#tables.get(type);
    for (;;) {
      if (this.#reserveIds !== undefined && this.#nextId >= this.#reservedBelow) this.#reservedBelow = this.#reserveIds(this.#nextId);
      const id = `s${(this.#nextId++).toString(36)}`;
      if (table === undefined || (table.slotOf(id) === undefined && !table.tombstones.has(id))) return id;
    }
  }

  #write(resource: Resource, versionId: number | undefined, lastUpdated: number | undefined, place: PlaceJson, bulk = false): StoredRecord {
    const type = resource.resourceType;
    const table = this.#tableFor(type);
    const id = typeof resource.id === 'string' && resource.id !== '' ? resource.id : this.newId(type);
    const previousVersion = table.versionOf(id) ?? table.tombstones.get(id)?.versionId ?? 0;
    const version = versionId ?? previousVersion + 1;
    const stamped = lastUpdated ?? this.#clock.now();
    const meta = { versionId: String(version), lastUpdated: this.#isoTime(stamped) };
    return table.put(id, resource, storedJson(resource, id, meta), place, version, stamped, bulk);
  }

  /** Bulk loads stamp thousands of resources with the same instant: format it once. */
  #isoTime(ms: number): string {
    if (ms !== this.#lastStamp.ms) this.#lastStamp = { ms, iso: new Date(ms).toISOString() };
    return this.#lastStamp.iso;
  }

  #tableFor(type: string): TypeTable {
    if (typeof type !== 'string' || type === '') throw new TypeError('ResourceStore: a resource needs a resourceType');
    let table = this.#tables.get(type);
    if (table === undefined) {
      table = new TypeTable(type, this.adapter.searchParams[type] ?? [], this.#limits);
      this.#tables.set(type, table);
    }
    return table;
  }
}
