import type { SlotList } from '../store/slotList.js';

/** Sorted slot lists from an index; their union holds every match, and only matches when `exact`. */
export interface IndexCandidates {
  lists: ReadonlyArray<SlotList>;
  exact: boolean;
  /** No slot is in two of the lists, so their lengths add up to the size of their union. */
  disjoint: boolean;
}

/**
 * The posting lists one filter's alternatives (`a,b,c`) name, gathered so that their union can be
 * counted and paged without a merge only when that is sound. Each list is kept once, however many
 * alternatives name it (`gender=male,male`). Lists of distinct keys in one index never share a
 * record when no record holds two values for the parameter; lists from two different indexes of
 * it (by code, and by system and code) do, as `code,system|code` shows.
 */
export class CandidateLists {
  readonly #lists = new Set<SlotList>();
  readonly #indexes = new Set<object>();

  /** `index` is the map the list was found in: lists of one index are keyed by distinct keys. */
  add(list: SlotList, index: object): void {
    this.#lists.add(list);
    this.#indexes.add(index);
  }

  /** `singleValued`: no record holds more than one value of the parameter. */
  candidates(exact: boolean, singleValued: boolean): IndexCandidates {
    const lists = [...this.#lists];
    return { lists, exact, disjoint: lists.length <= 1 || (singleValued && this.#indexes.size === 1) };
  }
}
