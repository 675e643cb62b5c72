import type { Resource } from '../types.js';
import type { SearchParamDefinition } from '../versions/searchParamDefinition.js';
import { indexValuesOf, NO_VALUES, postingKeyOf } from './indexValues.js';
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
  readonly #interned: Map<string, string>;

  constructor(type: string, params: readonly SearchParamDefinition[], interned: Map<string, string>) {
    this.type = type;
    this.params = params;
    this.postings = params.map((param) => (param.type === 'date' ? undefined : new Map<string, PostingList>()));
    this.#interned = interned;
  }

  get size(): number {
    return this.byId.size;
  }

  /** Replaces (same slot) or appends the record for `resource.id`; `json` is the exact text served. */
  put(resource: Resource & { id: string }, json: string, versionId: number, lastUpdated: number): StoredRecord {
    const values = this.params.map((param) => indexValuesOf(param, resource));
    const previous = this.byId.get(resource.id);
    const slot = previous?.slot ?? this.slots.length;
    if (previous !== undefined) this.#unindex(previous);
    const record = new StoredRecord(slot, resource.id, json, versionId, lastUpdated, this.#index(slot, values));
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

  /** Adds the slot to every posting list and returns the values with interned strings. */
  #index(slot: number, values: readonly IndexedValues[]): IndexedValues[] {
    return values.map((paramValues, i) => {
      const postings = this.postings[i];
      const param = this.params[i] as SearchParamDefinition;
      if (postings === undefined || paramValues.length === 0) return paramValues.length === 0 ? NO_VALUES : paramValues;
      return (paramValues as readonly string[]).map((value) => {
        const key = postingKeyOf(param.type, value);
        let list = postings.get(key);
        if (list === undefined) {
          list = { key, slots: [] };
          postings.set(key, list);
        }
        addSlot(list, slot);
        return param.type === 'token' ? this.#intern(value) : list.key;
      });
    });
  }

  #unindex(record: StoredRecord): void {
    record.values.forEach((paramValues, i) => {
      const postings = this.postings[i];
      const param = this.params[i] as SearchParamDefinition;
      if (postings === undefined) return;
      for (const value of paramValues as readonly string[]) {
        const key = postingKeyOf(param.type, value);
        const list = postings.get(key);
        if (list === undefined) continue;
        removeSlot(list, record.slot);
        if (list.slots.length === 0) postings.delete(key);
      }
    });
  }

  #intern(value: string): string {
    const known = this.#interned.get(value);
    if (known !== undefined) return known;
    this.#interned.set(value, value);
    return value;
  }
}
