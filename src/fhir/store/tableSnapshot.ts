import type { StoredRecord } from './storedRecord.js';

/**
 * One type table as it stood when the snapshot was opened, read slot by slot while the table keeps
 * taking writes: opening it copies nothing. A slot past `limit` did not exist then; a record the
 * table replaces or removes afterwards is kept here first (its pre-image), so `recordAt` answers
 * with the version of that moment. While a snapshot is open its table does not compact, so slots
 * keep their numbers. Close it when done: an open one keeps every pre-image alive.
 */
export class TableSnapshot {
  readonly #preImages = new Map<number, StoredRecord>();
  #open = true;

  constructor(
    readonly type: string,
    /** The table's record in a slot now. */
    private readonly currentAt: (slot: number) => StoredRecord | undefined,
    /** Slots below this existed when the snapshot was opened. */
    readonly limit: number,
    private readonly onClose: (snapshot: TableSnapshot) => void,
  ) {}

  /** The record the slot held when the snapshot was opened; undefined for an empty slot. */
  recordAt(slot: number): StoredRecord | undefined {
    if (slot >= this.limit) return undefined;
    return this.#preImages.get(slot) ?? this.currentAt(slot);
  }

  /** Whether the slot's record was replaced or removed since: its version of then is a pre-image. */
  changed(slot: number): boolean {
    return this.#preImages.has(slot);
  }

  /** Every pre-image so far, by slot. */
  preImages(): IterableIterator<[number, StoredRecord]> {
    return this.#preImages.entries();
  }

  /** Called by the table before it replaces or removes the record in `slot`. */
  preserve(slot: number, record: StoredRecord): void {
    if (this.#open && slot < this.limit && !this.#preImages.has(slot)) this.#preImages.set(slot, record);
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#preImages.clear();
    this.onClose(this);
  }
}
