const EMPTY = -1;
const FIRST_CAPACITY = 64;

/**
 * A table's slots by id: an open-addressing hash table (linear probing) of slot numbers in one
 * Int32Array, whose ids are read back from the table's own id column. A Map<string, number> of a
 * 100,000-patient tenant's 2 million observation ids took about 40 bytes per entry, in one array
 * the garbage collector scanned at every full collection; this takes 8 to 16 bytes outside the
 * heap. At most half full, so a probe rarely goes past its first entry.
 */
export class IdIndex {
  readonly #idAt: (slot: number) => string | undefined;
  #entries = new Int32Array(FIRST_CAPACITY).fill(EMPTY);
  #size = 0;

  /** `idAt(slot)` is the id stored in a slot: it must answer for every slot this index holds. */
  constructor(idAt: (slot: number) => string | undefined) {
    this.#idAt = idAt;
  }

  get size(): number {
    return this.#size;
  }

  get(id: string): number | undefined {
    const mask = this.#entries.length - 1;
    for (let at = hashOf(id) & mask; ; at = (at + 1) & mask) {
      const slot = this.#entries[at] as number;
      if (slot === EMPTY) return undefined;
      if (this.#idAt(slot) === id) return slot;
    }
  }

  /** Adds an id that is not in the index yet; its slot must already hold it. */
  add(id: string, slot: number): void {
    if ((this.#size + 1) * 2 > this.#entries.length) this.#grow();
    this.#place(hashOf(id), slot);
    this.#size++;
  }

  /** Removes the id (call before its slot is cleared: entries are told apart by the ids in their slots). */
  delete(id: string): boolean {
    const entries = this.#entries;
    const mask = entries.length - 1;
    let at = hashOf(id) & mask;
    for (; ; at = (at + 1) & mask) {
      const slot = entries[at] as number;
      if (slot === EMPTY) return false;
      if (this.#idAt(slot) === id) break;
    }
    // Backward-shift deletion: later entries of the same run move up, so no probe stops early.
    let hole = at;
    for (let next = (hole + 1) & mask; entries[next] !== EMPTY; next = (next + 1) & mask) {
      const slot = entries[next] as number;
      const home = hashOf(this.#idAt(slot) as string) & mask;
      // The entry may fill the hole only if its home is not in (hole, next], cyclically.
      const stays = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (stays) continue;
      entries[hole] = slot;
      hole = next;
    }
    entries[hole] = EMPTY;
    this.#size--;
    return true;
  }

  /** Rewrites every slot through `renumbered` (after the table compacted; ids keep their hashes). */
  renumber(renumbered: Int32Array): void {
    const entries = this.#entries;
    for (let at = 0; at < entries.length; at++) {
      const slot = entries[at] as number;
      if (slot !== EMPTY) entries[at] = renumbered[slot] as number;
    }
  }

  #place(hash: number, slot: number): void {
    const entries = this.#entries;
    const mask = entries.length - 1;
    let at = hash & mask;
    while (entries[at] !== EMPTY) at = (at + 1) & mask;
    entries[at] = slot;
  }

  #grow(): void {
    const old = this.#entries;
    this.#entries = new Int32Array(old.length * 2).fill(EMPTY);
    for (const slot of old) if (slot !== EMPTY) this.#place(hashOf(this.#idAt(slot) as string), slot);
  }
}

/** FNV-1a over the UTF-16 code units, then a final mix so that ids differing in their last characters spread. */
function hashOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  return (hash ^ (hash >>> 12)) >>> 0;
}
