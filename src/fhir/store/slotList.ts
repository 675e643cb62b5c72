/**
 * Ascending slot numbers of the records holding one index key, as the store hands them to search:
 * read-only, indexable and iterable, whatever array the store keeps them in. A list is valid until
 * the table's next write.
 */
export type SlotList = Readonly<ArrayLike<number>> & Iterable<number>;

/** Slots [start, end) of a list as a plain array (a page, a result to return). */
export function sliceSlots(list: SlotList, start: number, end: number = list.length): number[] {
  const from = Math.max(0, Math.min(start, list.length));
  const to = Math.max(from, Math.min(end, list.length));
  const sliced = new Array<number>(to - from);
  for (let i = from; i < to; i++) sliced[i - from] = list[i] as number;
  return sliced;
}
