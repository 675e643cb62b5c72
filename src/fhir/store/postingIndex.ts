import type { SlotList } from './slotList.js';

/** One index of a parameter as search reads it: each key's records. */
export interface PostingIndex {
  /**
   * The key's records; undefined when no record holds the key. Until the table's next write, a key
   * gives the same list object each time (search counts a list named twice once by its identity).
   */
  get(key: string): SlotList | undefined;
  /** Every key's records, one list per key. */
  lists(): Iterable<SlotList>;
  /** Every key, in the order keys first appeared. */
  keys(): Iterable<string>;
}

/** A token parameter's index by system, then by code. */
export interface SystemIndex {
  /** The codes of one system; undefined when no record holds a value of that system. */
  get(system: string): PostingIndex | undefined;
  /** Every system, in the order systems first appeared. */
  systems(): Iterable<string>;
}
