import { sliceSlots } from '../store/slotList.js';
import type { SlotList } from '../store/slotList.js';
import type { TypeTable } from '../store/typeTable.js';
import { findMatches, indexLookup } from './matchSearch.js';
import type { SearchFilter, SearchQuery } from './searchQuery.js';
import { sortMatches } from './sortMatches.js';

export interface SearchPage {
  /** Every match, not only this page's. */
  total: number;
  /** This page's slots, in result order. */
  slots: readonly number[];
}

/** Above this many leading slots, picking the page from posting lists costs more than merging them. */
const PICK_LIMIT = 1000;

/**
 * Step three (b): the total and one page of a query. When one indexed filter decides everything in
 * default order, the total is the sum of non-overlapping posting lists and only the page's slots are
 * picked, so a broad `family:contains` costs no merge of thousands of matches.
 */
export function searchPage(table: TypeTable, query: SearchQuery): SearchPage {
  const { count, offset, sort, totalOnly } = query.controls;
  const wanted = totalOnly ? 0 : offset + count;
  if (sort.length === 0 && wanted <= PICK_LIMIT) {
    if (query.filters.length === 0) return { total: table.size, slots: firstLiveSlots(table, wanted).slice(offset) };
    const only = query.filters.length === 1 ? (query.filters[0] as SearchFilter) : undefined;
    const candidates = only === undefined ? undefined : indexLookup(table, only);
    if (candidates?.exact === true && candidates.disjoint) {
      let total = 0;
      for (const list of candidates.lists) total += list.length;
      return { total, slots: smallestSlots(candidates.lists, wanted).slice(offset) };
    }
  }
  const matches = findMatches(table, query.filters);
  if (wanted === 0 || offset >= matches.length) return { total: matches.length, slots: [] };
  return { total: matches.length, slots: sortMatches(table, matches, sort).slice(offset, wanted) };
}

function firstLiveSlots(table: TypeTable, wanted: number): number[] {
  const slots: number[] = [];
  for (let slot = 0; slot < table.slotCount && slots.length < wanted; slot++) {
    if (table.isLive(slot)) slots.push(slot);
  }
  return slots;
}

/** The `wanted` smallest slots of sorted, non-overlapping lists, ascending. */
function smallestSlots(lists: ReadonlyArray<SlotList>, wanted: number): number[] {
  if (lists.length === 1) return sliceSlots(lists[0] as SlotList, 0, wanted);
  const best: number[] = [];
  if (wanted === 0) return best;
  for (const list of lists) {
    for (const slot of list) {
      if (best.length === wanted && slot >= (best[wanted - 1] as number)) break;
      let at = best.length;
      while (at > 0 && (best[at - 1] as number) > slot) at--;
      best.splice(at, 0, slot);
      if (best.length > wanted) best.pop();
    }
  }
  return best;
}
