import { KeyDictionary } from './keyDictionary.js';
import { addSlot, removeSlot } from './postingList.js';
import type { PostingList } from './postingList.js';
import type { PostingIndex } from './postingIndex.js';
import type { SlotList } from './slotList.js';

const FIRST_PENDING = 1_024;
const NO_SLOTS = new Int32Array(0);

/** A key's list as a key dictionary hands it to search. */
export interface MatchedList {
  readonly slots: SlotList;
}

/**
 * One index (key → ascending slots) kept in a few typed arrays instead of an array per key, so a
 * 100,000-patient store holds its millions of index entries in a handful of objects the garbage
 * collector never walks into. Three parts:
 * - frozen: every key's slots in one Int32Array, key n's at [starts[n], starts[n] + lengths[n]);
 * - pending: bulk appends (a slot above every slot indexed so far) as (list, slot) pairs in arrival
 *   order; the next read folds them into the frozen part with one counting sort, which keeps each
 *   list ascending because slots arrive ascending;
 * - edited: a key changed by an edit (insert or remove) moves to a plain PostingList of its own, so
 *   an edit costs one key's list, never a rebuild. The next fold takes it back.
 */
export class Postings implements PostingIndex {
  /** key → list number; a Map keeps the order in which keys first appeared. */
  readonly #listOf = new Map<string, number>();
  #listCount = 0;
  #starts: Int32Array = NO_SLOTS;
  #lengths: Int32Array = NO_SLOTS;
  #data: Int32Array = NO_SLOTS;
  readonly #edited = new Map<number, PostingList>();
  #pendingLists: Int32Array = NO_SLOTS;
  #pendingSlots: Int32Array = NO_SLOTS;
  #pendingCount = 0;
  #dictionary: KeyDictionary<number> | undefined;
  /** The lists handed out since the last change, by list number: a key answers with the same object. */
  #views: Array<SlotList | undefined> = [];
  /** The same for the key dictionary's answers. */
  #matched: Array<MatchedList | undefined> = [];

  /** Number of keys. */
  get size(): number {
    return this.#listOf.size;
  }

  get(key: string): SlotList | undefined {
    this.#fold();
    const list = this.#listOf.get(key);
    return list === undefined ? undefined : this.#slotsOf(list);
  }

  lists(): SlotList[] {
    this.#fold();
    return Array.from(this.#listOf.values(), (list) => this.#slotsOf(list));
  }

  keys(): IterableIterator<string> {
    return this.#listOf.keys();
  }

  /** Keys that contain (or start with) any of the values, each once, by a dictionary of the keys built on first use. */
  matching(values: readonly string[], mode: 'contains' | 'starts-with'): MatchedList[] {
    this.#fold();
    this.#dictionary ??= new KeyDictionary(this.#listOf);
    return this.#dictionary.matching(values, mode).map((list) => (this.#matched[list] ??= { slots: this.#slotsOf(list) }));
  }

  /** Bulk load: `slot` is above every slot this index holds. */
  append(key: string, slot: number): void {
    const list = this.#listFor(key);
    if (this.#pendingCount === this.#pendingSlots.length) this.#growPending();
    this.#pendingLists[this.#pendingCount] = list;
    this.#pendingSlots[this.#pendingCount++] = slot;
  }

  /** An edit: adds `slot` anywhere. */
  insert(key: string, slot: number): void {
    this.#fold();
    addSlot(this.#editable(this.#listFor(key), key), slot);
  }

  /** Removes the slot from the key's list; true when that emptied the list and the key went away. */
  remove(key: string, slot: number): boolean {
    this.#fold();
    const list = this.#listOf.get(key);
    if (list === undefined) return false;
    const editable = this.#editable(list, key);
    removeSlot(editable, slot);
    if (editable.slots.length > 0) return false;
    this.#listOf.delete(key);
    this.#edited.delete(list);
    this.#dictionary = undefined;
    return true;
  }

  /** Rewrites every slot through `renumbered` (which keeps order, so lists stay sorted). */
  renumber(renumbered: Int32Array): void {
    this.#fold();
    this.#forgetViews();
    for (let i = 0; i < this.#data.length; i++) this.#data[i] = renumbered[this.#data[i] as number] as number;
    for (const list of this.#edited.values()) list.slots = list.slots.map((slot) => renumbered[slot] as number);
  }

  /** Folds pending appends and edited lists into one exact-size frozen array (the end of a bulk load). */
  freeze(): void {
    if (this.#pendingCount > 0 || this.#edited.size > 0) this.#rebuild();
  }

  /** The key's list number; a new key gets the next one (and the key dictionary is dropped). */
  #listFor(key: string): number {
    const known = this.#listOf.get(key);
    if (known !== undefined) return known;
    const list = this.#listCount++;
    this.#listOf.set(key, list);
    this.#dictionary = undefined;
    return list;
  }

  /** Only after #fold(): folding renumbers the lists. */
  #slotsOf(list: number): SlotList {
    return (this.#views[list] ??= this.#currentOf(list));
  }

  /** The key's list as a plain PostingList, copied out of the frozen part on its first edit (only after #fold()). */
  #editable(list: number, key: string): PostingList {
    this.#views[list] = undefined;
    this.#matched[list] = undefined;
    let edited = this.#edited.get(list);
    if (edited === undefined) {
      const frozen = list < this.#starts.length ? this.#data.subarray(this.#starts[list], (this.#starts[list] as number) + (this.#lengths[list] as number)) : NO_SLOTS;
      edited = { key, slots: Array.from(frozen) };
      this.#edited.set(list, edited);
    }
    return edited;
  }

  /** Pending appends must be in the frozen part before anything reads or edits a list; it renumbers lists. */
  #fold(): void {
    if (this.#pendingCount > 0) this.#rebuild();
  }

  #growPending(): void {
    const size = Math.max(FIRST_PENDING, this.#pendingSlots.length * 2);
    const lists = new Int32Array(size);
    const slots = new Int32Array(size);
    lists.set(this.#pendingLists);
    slots.set(this.#pendingSlots);
    this.#pendingLists = lists;
    this.#pendingSlots = slots;
  }

  /**
   * One counting sort: each list's current slots (frozen or edited), then its pending ones in
   * arrival order (ascending, and above every current slot), a slot repeated by one record kept once.
   */
  #rebuild(): void {
    // Live keys are renumbered 0…n-1 in key order: numbers of keys that went away are not kept.
    const renumbered = new Int32Array(this.#listCount).fill(-1);
    const count = this.#listOf.size;
    const lengths = new Int32Array(count);
    const last = new Int32Array(count).fill(-1);
    let next = 0;
    for (const old of this.#listOf.values()) {
      const list = next++;
      renumbered[old] = list;
      const current = this.#currentOf(old);
      lengths[list] = current.length;
      if (current.length > 0) last[list] = current[current.length - 1] as number;
    }
    const pendingLists = this.#pendingLists;
    const pendingSlots = this.#pendingSlots;
    const pendingCount = this.#pendingCount;
    for (let i = 0; i < pendingCount; i++) {
      const list = renumbered[pendingLists[i] as number] as number;
      const slot = pendingSlots[i] as number;
      if (list < 0 || slot === last[list]) continue;
      last[list] = slot;
      lengths[list] = (lengths[list] as number) + 1;
    }
    const starts = new Int32Array(count);
    let total = 0;
    for (let list = 0; list < count; list++) {
      starts[list] = total;
      total += lengths[list] as number;
    }
    const data = new Int32Array(total);
    const ends = new Int32Array(count);
    for (const old of this.#listOf.values()) {
      const list = renumbered[old] as number;
      const current = this.#currentOf(old);
      const start = starts[list] as number;
      if (current instanceof Int32Array) data.set(current, start);
      else for (let i = 0; i < current.length; i++) data[start + i] = current[i] as number;
      ends[list] = start + current.length;
      last[list] = current.length > 0 ? (current[current.length - 1] as number) : -1;
    }
    for (let i = 0; i < pendingCount; i++) {
      const list = renumbered[pendingLists[i] as number] as number;
      const slot = pendingSlots[i] as number;
      if (list < 0 || slot === last[list]) continue;
      last[list] = slot;
      data[ends[list] as number] = slot;
      ends[list] = (ends[list] as number) + 1;
    }
    for (const [key, old] of this.#listOf) this.#listOf.set(key, renumbered[old] as number);
    this.#listCount = count;
    this.#starts = starts;
    this.#lengths = lengths;
    this.#data = data;
    this.#dictionary = undefined;
    this.#forgetViews();
    this.#edited.clear();
    this.#pendingLists = NO_SLOTS;
    this.#pendingSlots = NO_SLOTS;
    this.#pendingCount = 0;
  }

  /** Sized to the lists there are, so the arrays keep fast elements however high a list's number. */
  #forgetViews(): void {
    this.#views = new Array<SlotList | undefined>(this.#listCount);
    this.#matched = new Array<MatchedList | undefined>(this.#listCount);
  }

  /** A list's slots before pending appends: its edited copy, or its frozen range. */
  #currentOf(list: number): Int32Array | readonly number[] {
    const edited = this.#edited.get(list);
    if (edited !== undefined) return edited.slots;
    if (list >= this.#starts.length) return NO_SLOTS;
    const start = this.#starts[list] as number;
    return this.#data.subarray(start, start + (this.#lengths[list] as number));
  }
}
