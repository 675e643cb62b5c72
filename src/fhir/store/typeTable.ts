import type { Resource } from '../types.js';
import type { SearchParamDefinition } from '../versions/searchParamDefinition.js';
import { indexValuesOf, tokenCode } from './indexValues.js';
import type { IndexedValues } from './indexValues.js';
import { addSlot, removeSlot } from './postingList.js';
import type { PostingList } from './postingList.js';

/** One stored version of a resource: its JSON text as served, plus the values search needs. */
export class StoredRecord {
  constructor(
    /** Position in insertion order; the default, stable result order. */
    readonly slot: number,
    readonly id: string,
    readonly json: string,
    readonly versionId: number,
    /** Epoch ms of meta.lastUpdated. */
    readonly lastUpdated: number,
    /** Per search parameter of the type, in the order of TypeTable.params. */
    readonly values: readonly IndexedValues[],
  ) {}
}

export interface Tombstone {
  versionId: number;
  deletedAt: number;
}

/** Everything stored for one resource type, with its indexes always matching its records. */
export class TypeTable {
  readonly type: string;
  readonly params: readonly SearchParamDefinition[];
  /** Posting maps per parameter (same order as params); undefined for dates, which are scanned. */
  readonly postings: ReadonlyArray<Map<string, PostingList> | undefined>;
  /** Records by slot; a deleted slot stays empty so slots keep their order. */
  readonly slots: Array<StoredRecord | undefined> = [];
  readonly byId = new Map<string, StoredRecord>();
  readonly tombstones = new Map<string, Tombstone>();
  /** Changes whenever a posting map gains or loses a key, so derived key lists know to rebuild. */
  keysVersion = 0;
  /** Per parameter: how many records hold more than one value. */
  readonly #multiValued: number[];

  constructor(type: string, params: readonly SearchParamDefinition[]) {
    this.type = type;
    this.params = params;
    this.postings = params.map((param) => (param.type === 'date' ? undefined : new Map<string, PostingList>()));
    this.#multiValued = params.map(() => 0);
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * Replaces (same slot) or appends the record for `id`; `json` is the exact text served and
   * `resource` its content (search values are read from it; its id and meta are not).
   */
  put(id: string, resource: Resource, json: string, versionId: number, lastUpdated: number): StoredRecord {
    const values = this.params.map((param) => indexValuesOf(param, resource));
    const previous = this.byId.get(id);
    const slot = previous?.slot ?? this.slots.length;
    if (previous !== undefined) this.#unindex(previous);
    const record = new StoredRecord(slot, id, json, versionId, lastUpdated, this.#index(slot, values));
    this.slots[slot] = record;
    this.byId.set(record.id, record);
    this.tombstones.delete(record.id);
    return record;
  }

  delete(id: string, deletedAt: number): StoredRecord | undefined {
    const record = this.byId.get(id);
    if (record === undefined) return undefined;
    this.#unindex(record);
    this.slots[record.slot] = undefined;
    this.byId.delete(id);
    this.tombstones.set(id, { versionId: record.versionId + 1, deletedAt });
    return record;
  }

  /**
   * Adds the slot to every posting list. Values are rewritten in place to the posting key's own
   * string (indexValuesOf hands over fresh arrays), so records share one copy of each key.
   */
  #index(slot: number, values: readonly IndexedValues[]): readonly IndexedValues[] {
    for (let i = 0; i < values.length; i++) {
      const paramValues = values[i] as IndexedValues;
      const postings = this.postings[i];
      if (postings === undefined || paramValues.length === 0) continue;
      if (paramValues.length > 1) this.#multiValued[i] = (this.#multiValued[i] ?? 0) + 1;
      const isToken = (this.params[i] as SearchParamDefinition).type === 'token';
      const strings = paramValues as string[];
      for (let j = 0; j < strings.length; j++) {
        const value = strings[j] as string;
        const key = isToken ? tokenCode(value) : value;
        let list = postings.get(key);
        if (list === undefined) {
          list = { key, slots: [] };
          postings.set(key, list);
          this.keysVersion++;
        }
        addSlot(list, slot);
        if (isToken) {
          list.token ??= value;
          if (list.token === value) strings[j] = list.token;
        } else strings[j] = list.key;
      }
    }
    return values;
  }

  #unindex(record: StoredRecord): void {
    record.values.forEach((paramValues, i) => {
      const postings = this.postings[i];
      if (postings === undefined) return;
      if (paramValues.length > 1) this.#multiValued[i] = (this.#multiValued[i] ?? 0) - 1;
      const isToken = (this.params[i] as SearchParamDefinition).type === 'token';
      for (const value of paramValues as readonly string[]) {
        const key = isToken ? tokenCode(value) : value;
        const list = postings.get(key);
        if (list === undefined) continue;
        removeSlot(list, record.slot);
        if (list.slots.length === 0) {
          postings.delete(key);
          this.keysVersion++;
        }
      }
    });
  }

  /** True when no record has two values for the parameter, so its posting lists never overlap. */
  isSingleValued(paramIndex: number): boolean {
    return (this.#multiValued[paramIndex] ?? 0) === 0;
  }
}
