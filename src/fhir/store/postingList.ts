/**
 * The records holding one index key, as ascending slot numbers: ascending order is the store's
 * insertion order, so a posting list is already a stable, sorted result. Postings keeps a key's
 * list in this form only after an edit changed it (see Postings), until its next fold.
 */
export interface PostingList {
  /** The key itself; records share this instance instead of each keeping a copy. */
  readonly key: string;
  slots: number[];
}

/**
 * Below this length a list grows by copying to the exact size: `push` would reserve 16 spare
 * slots, and most lists (one identifier, one patient's few resources) stay short. A spread
 * literal (`[...slots, slot]`) reserves spare slots too, and `concat` allocates exactly but is
 * several times slower than this loop.
 */
const EXACT_GROWTH_LIMIT = 16;

/** Adds a slot, keeping the list sorted and free of duplicates (bulk loads only ever append). */
export function addSlot(list: PostingList, slot: number): void {
  const slots = list.slots;
  const last = slots.length === 0 ? -1 : (slots[slots.length - 1] as number);
  if (slot > last) {
    if (slots.length < EXACT_GROWTH_LIMIT) list.slots = withSlot(slots, slot);
    else slots.push(slot);
    return;
  }
  const at = lowerBound(slots, slot);
  if (slots[at] !== slot) slots.splice(at, 0, slot);
}

function withSlot(slots: readonly number[], slot: number): number[] {
  const grown = new Array<number>(slots.length + 1);
  for (let i = 0; i < slots.length; i++) grown[i] = slots[i] as number;
  grown[slots.length] = slot;
  return grown;
}

export function removeSlot(list: PostingList, slot: number): void {
  const at = lowerBound(list.slots, slot);
  if (list.slots[at] === slot) list.slots.splice(at, 1);
}

function lowerBound(slots: readonly number[], slot: number): number {
  let low = 0;
  let high = slots.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((slots[mid] as number) < slot) low = mid + 1;
    else high = mid;
  }
  return low;
}
