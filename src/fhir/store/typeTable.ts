import type { Resource } from '../types.js';
import type { SearchParamDefinition, TokenValue } from '../versions/searchParamDefinition.js';
import { IdIndex } from './idIndex.js';
import { indexValuesOf } from './indexValues.js';
import type { IndexedValues } from './indexValues.js';
import type { JsonSpan, PlaceJson } from './jsonArena.js';
import type { PostingIndex, SystemIndex } from './postingIndex.js';
import { extractOwnerValues, flatDates, indexOwnersOf } from './ownerValues.js';
import type { IndexOwners } from './ownerValues.js';
import { Postings } from './postings.js';
import { NO_SYSTEM } from './preparedBatch.js';
import { RecordColumns } from './recordColumns.js';
import { StoredRecord } from './storedRecord.js';
import { TableSnapshot } from './tableSnapshot.js';

export interface Tombstone {
  versionId: number;
  deletedAt: number;
}

export interface TypeTableLimits {
  /** Deleted ids remembered (for 410 Gone) per type; the oldest are forgotten first and then read as 404. */
  tombstones: number;
}

export const DEFAULT_TYPE_TABLE_LIMITS: TypeTableLimits = Object.freeze({ tombstones: 10_000 });

/** Below this many empty slots a table is never compacted: renumbering a small table would be all cost. */
const MIN_HOLES_TO_COMPACT = 1_024;

/**
 * Everything stored for one resource type, with its indexes always matching its records.
 * Parameters that read the same elements (STU3 `patient` and `subject`) share one index.
 */
export class TypeTable {
  readonly type: string;
  readonly params: readonly SearchParamDefinition[];
  /** Per date parameter: its position in StoredRecord.dates(); -1 for other types. */
  readonly dateColumn: readonly number[];
  /**
   * Records by slot; a deleted slot stays empty so slots keep their order, until empty slots
   * outnumber records and the table compacts (renumbers records densely, order unchanged).
   */
  readonly #records = new RecordColumns();
  /** Slots by id, the ids being read from #records. */
  readonly #slotById = new IdIndex((slot) => this.#records.idAt(slot));
  /** Deleted ids, oldest first (a Map keeps insertion order), at most `limits.tombstones` of them. */
  readonly tombstones = new Map<string, Tombstone>();
  readonly #limits: TypeTableLimits;
  /** The parameters whose values are extracted: the first of each group sharing a source. */
  readonly #owners: readonly number[];
  /** Per parameter: the parameter that owns its index. */
  readonly #ownerOf: readonly number[];
  readonly #indexOwners: IndexOwners;
  /** Per parameter: how many records hold more than one value. */
  readonly #multiValued: number[];
  /** Per parameter: postings keyed by value (token: by code); undefined for dates. Shared parameters share one. */
  readonly #postings: ReadonlyArray<Postings | undefined>;
  /** Per token parameter: postings by system, then by code, for values that have a system. */
  readonly #systemPostings: ReadonlyArray<Map<string, Postings> | undefined>;
  /** Snapshots being read (exports): they get each record this table replaces or removes first. */
  readonly #snapshots = new Set<TableSnapshot>();
  readonly #systemIndexes: ReadonlyArray<SystemIndex | undefined>;

  constructor(type: string, params: readonly SearchParamDefinition[], limits: TypeTableLimits = DEFAULT_TYPE_TABLE_LIMITS) {
    this.type = type;
    this.params = params;
    this.#limits = limits;
    const indexOwners = indexOwnersOf(params);
    const { ownerOf } = indexOwners;
    this.#indexOwners = indexOwners;
    this.#owners = indexOwners.owners;
    const postings = params.map((param) => (param.type === 'date' ? undefined : new Postings()));
    this.#postings = ownerOf.map((owner) => postings[owner]);
    const systemMaps = params.map((param) => (param.type === 'token' ? new Map<string, Postings>() : undefined));
    this.#systemPostings = ownerOf.map((owner) => systemMaps[owner]);
    const dateOwners = this.#owners.filter((owner) => params[owner]?.type === 'date');
    this.dateColumn = ownerOf.map((owner) => dateOwners.indexOf(owner));
    this.#multiValued = params.map(() => 0);
    this.#ownerOf = ownerOf;
    this.#systemIndexes = this.#systemPostings.map((bySystem) => (bySystem === undefined ? undefined : systemIndexOf(bySystem)));
  }

  get size(): number {
    return this.#slotById.size;
  }

  /** Slots run from 0 to slotCount - 1; some may be empty (deleted, not yet compacted). */
  get slotCount(): number {
    return this.#records.count;
  }

  /** The record in the slot (made for this call); undefined for an empty slot. */
  recordAt(slot: number): StoredRecord | undefined {
    return this.#records.recordAt(slot);
  }

  isLive(slot: number): boolean {
    return this.#records.isLive(slot);
  }

  /** The slot of the record with this id; undefined when there is none. */
  slotOf(id: string): number | undefined {
    return this.#slotById.get(id);
  }

  /** The record with this id (made for this call); undefined when there is none. */
  recordOf(id: string): StoredRecord | undefined {
    const slot = this.#slotById.get(id);
    return slot === undefined ? undefined : this.#records.recordAt(slot);
  }

  /** The current version of the record with this id; undefined when there is none. */
  versionOf(id: string): number | undefined {
    const slot = this.#slotById.get(id);
    return slot === undefined ? undefined : this.#records.versionAt(slot);
  }

  /** The parameter's index by value (token: by code); undefined for dates. Parameters sharing a source share it. */
  postingIndex(paramIndex: number): PostingIndex | undefined {
    return this.#postings[paramIndex];
  }

  /** The token parameter's index by system, then code; undefined for other types. */
  systemIndex(paramIndex: number): SystemIndex | undefined {
    return this.#systemIndexes[paramIndex];
  }

  /** The table as it stands now, readable while it changes; see TableSnapshot. */
  openSnapshot(): TableSnapshot {
    const snapshot = new TableSnapshot(this.type, (slot) => this.#records.recordAt(slot), this.#records.count, (closed) => this.#snapshots.delete(closed));
    this.#snapshots.add(snapshot);
    return snapshot;
  }

  /**
   * Replaces (same slot) or appends the record for `id`; `json` is the exact text served, kept where
   * `place` puts it, and `resource` is its content (search values are read from it; its id and meta
   * are not). Values are all extracted before any index changes, so a write is never half-indexed.
   * `bulk` (a load, not an edit): a new record's index entries wait in Postings' pending pairs.
   */
  put(id: string, resource: Resource, json: string, place: PlaceJson, versionId: number, lastUpdated: number, bulk = false): StoredRecord {
    const values = extractOwnerValues(this.params, this.#owners, resource);
    const previousSlot = this.#slotById.get(id);
    const previous = previousSlot === undefined ? undefined : this.#records.recordAt(previousSlot);
    const slot = previousSlot ?? this.#records.count;
    // A new slot is above every indexed one: a bulk load appends it to the indexes' pending pairs.
    const append = bulk && previous === undefined;
    if (previous !== undefined) {
      for (const snapshot of this.#snapshots) snapshot.preserve(slot, previous);
      this.#unindex(previous);
    }
    for (let i = 0; i < this.#owners.length; i++) {
      const owner = this.#owners[i] as number;
      if (this.params[owner]?.type !== 'date') this.#index(owner, values[i] as IndexedValues | readonly TokenValue[], slot, append);
    }
    const placed = place(json, flatDates(this.params, this.#indexOwners, values));
    this.#records.set(slot, id, placed, versionId, lastUpdated);
    if (previousSlot === undefined) this.#slotById.add(id, slot);
    if (this.tombstones.size > 0) this.tombstones.delete(id);
    return new StoredRecord(slot, id, placed, versionId, lastUpdated);
  }

  /**
   * Bulk load of a record prepared elsewhere (RecordPreparer), new to this table: appended to the
   * indexes exactly as put() appends a new record's values, read from `fields` from `at` on (see
   * PreparedBatch), whose strings are `strings`. Returns where the next record's fields start.
   */
  appendPrepared(id: string, json: JsonSpan, versionId: number, lastUpdated: number, fields: Int32Array, at: number, strings: readonly string[]): number {
    const slot = this.#records.count;
    let next = at;
    for (const owner of this.#owners) {
      const param = this.params[owner] as SearchParamDefinition;
      if (param.type === 'date') continue;
      const count = fields[next++] as number;
      if (count > 1) this.#multiValued[owner] = (this.#multiValued[owner] ?? 0) + 1;
      const postings = this.#postings[owner] as Postings;
      for (let value = 0; value < count; value++) {
        const key = strings[fields[next++] as number] as string;
        postings.append(key, slot);
        if (param.type !== 'token') continue;
        const system = fields[next++] as number;
        if (system !== NO_SYSTEM) this.#codesOf(owner, strings[system] as string).append(key, slot);
      }
    }
    this.#records.set(slot, id, json, versionId, lastUpdated);
    this.#slotById.add(id, slot);
    if (this.tombstones.size > 0) this.tombstones.delete(id);
    return next;
  }

  delete(id: string, deletedAt: number): StoredRecord | undefined {
    const record = this.recordOf(id);
    if (record === undefined) return undefined;
    for (const snapshot of this.#snapshots) snapshot.preserve(record.slot, record);
    this.#unindex(record);
    // The id index finds its entry by the id in the slot: before the slot is cleared.
    this.#slotById.delete(id);
    this.#records.clear(record.slot);
    this.rememberDeleted(id, { versionId: record.versionId + 1, deletedAt });
    const holes = this.#records.count - this.#slotById.size;
    // Renumbering would move records under an open snapshot's feet: it waits for a later delete.
    if (holes >= MIN_HOLES_TO_COMPACT && holes > this.#slotById.size && this.#snapshots.size === 0) this.#compact();
    return record;
  }

  /** Remembers a deleted id (a delete, or a tombstone read back from disk), forgetting the oldest beyond the limit. */
  rememberDeleted(id: string, tombstone: Tombstone): void {
    if (this.#slotById.get(id) !== undefined) return;
    this.tombstones.delete(id);
    this.tombstones.set(id, tombstone);
    if (this.tombstones.size > this.#limits.tombstones) {
      const oldest = this.tombstones.keys().next().value;
      if (oldest !== undefined) this.tombstones.delete(oldest);
    }
  }

  /** True when no record has two values for the parameter, so its posting lists never overlap. */
  isSingleValued(paramIndex: number): boolean {
    return (this.#multiValued[this.#ownerOf[paramIndex] ?? paramIndex] ?? 0) === 0;
  }

  /** The string parameter's distinct keys, searchable by substring and prefix. */
  dictionary(paramIndex: number): Postings | undefined {
    return this.#postings[paramIndex];
  }

  /** Folds every index's bulk appends into its frozen arrays: the end of a bulk load. */
  freeze(): void {
    for (const owner of this.#owners) {
      this.#postings[owner]?.freeze();
      for (const codes of this.#systemPostings[owner]?.values() ?? []) codes.freeze();
    }
  }

  /** The parameter's values in a stored record, read again from its JSON (for sorting and rare checks). */
  valuesOf(record: StoredRecord, paramIndex: number, resource?: Resource): IndexedValues {
    const param = this.params[paramIndex] as SearchParamDefinition;
    if (param.type === 'date') return dateColumnOf(record.dates(), this.dateColumn[paramIndex] as number);
    return indexValuesOf(param, resource ?? record.resource());
  }

  /**
   * Renumbers the records 0…n-1 in their current order and rewrites every posting list to match.
   * The mapping only ever lowers numbers and keeps their order, so lists stay sorted. Runs when
   * empty slots outnumber records, so its cost is at most that of the deletes that made the holes.
   */
  #compact(): void {
    const renumbered = this.#records.compact();
    this.#slotById.renumber(renumbered);
    for (const owner of this.#owners) {
      this.#postings[owner]?.renumber(renumbered);
      for (const codes of this.#systemPostings[owner]?.values() ?? []) codes.renumber(renumbered);
    }
  }

  /** A coded value is indexed by code, and by system then code when it has a system. */
  #index(owner: number, values: IndexedValues | readonly TokenValue[], slot: number, append: boolean): void {
    if (values.length === 0) return;
    if (values.length > 1) this.#multiValued[owner] = (this.#multiValued[owner] ?? 0) + 1;
    const postings = this.#postings[owner] as Postings;
    for (const value of values) {
      const key = typeof value === 'object' ? value.code : (value as string);
      if (append) postings.append(key, slot);
      else postings.insert(key, slot);
      if (typeof value !== 'object' || value.system === undefined || value.system === '') continue;
      const codes = this.#codesOf(owner, value.system);
      if (append) codes.append(key, slot);
      else codes.insert(key, slot);
    }
  }

  #codesOf(owner: number, system: string): Postings {
    const bySystem = this.#systemPostings[owner] as Map<string, Postings>;
    let codes = bySystem.get(system);
    if (codes === undefined) {
      codes = new Postings();
      bySystem.set(system, codes);
    }
    return codes;
  }

  /** Takes a record out of every posting list, reading its values again from its stored JSON. */
  #unindex(record: StoredRecord): void {
    const extracted = extractOwnerValues(this.params, this.#owners, record.resource());
    for (const [i, owner] of this.#owners.entries()) {
      const values = extracted[i] as IndexedValues | readonly TokenValue[];
      if (this.params[owner]?.type === 'date') continue;
      if (values.length > 1) this.#multiValued[owner] = (this.#multiValued[owner] ?? 0) - 1;
      for (const value of values) {
        const key = typeof value === 'object' ? value.code : (value as string);
        (this.#postings[owner] as Postings).remove(key, record.slot);
        if (typeof value === 'object' && value.system !== undefined && value.system !== '') {
          const bySystem = this.#systemPostings[owner] as Map<string, Postings>;
          const codes = bySystem.get(value.system);
          if (codes !== undefined && codes.remove(value.code, record.slot) && codes.size === 0) bySystem.delete(value.system);
        }
      }
    }
  }
}

/** Search's view of a token parameter's postings by system. */
function systemIndexOf(bySystem: Map<string, Postings>): SystemIndex {
  return {
    get: (system) => bySystem.get(system),
    systems: () => bySystem.keys(),
  };
}

const NO_DATES: readonly number[] = Object.freeze([]) as readonly number[];

/** One column of a record's flat date array: its [start, end, …] pairs. */
function dateColumnOf(dates: readonly number[], column: number): readonly number[] {
  let at = 0;
  for (let i = 0; i < column && at < dates.length; i++) at += 1 + 2 * (dates[at] as number);
  const pairs = at < dates.length ? (dates[at] as number) : 0;
  return pairs === 0 ? NO_DATES : dates.slice(at + 1, at + 1 + 2 * pairs);
}
