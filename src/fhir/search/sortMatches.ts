import type { StoredRecord } from '../store/storedRecord.js';
import type { TypeTable } from '../store/typeTable.js';
import type { Resource } from '../types.js';
import type { SortKey } from './searchQuery.js';
import { sortByDate } from './sortByDate.js';

type SortValue = string | number | undefined;

/**
 * Step three (a): orders matched slots by the `_sort` keys. With several values, ascending uses the
 * smallest and descending the largest (a Period sorts by its start going up, by its end going down).
 * Records without a value come last either way; ties fall back to the id, so paging is stable.
 */
export function sortMatches(table: TypeTable, slots: readonly number[], keys: readonly SortKey[]): readonly number[] {
  if (keys.length === 0) return slots;
  const only = keys.length === 1 ? (keys[0] as SortKey) : undefined;
  if (only !== undefined && only.target.kind === 'param' && only.target.isDate) return sortByDate(table, slots, only.target.paramIndex, only.descending);
  // Only dates live on the record; other keys are read once from its text.
  let needsResource = false;
  for (const key of keys) if (key.target.kind === 'param' && !key.target.isDate) needsResource = true;
  // Row r's key k is values[r * width + k]: flat columns and a sorted list of row numbers, no object per row.
  const width = keys.length;
  const ids: string[] = new Array<string>(slots.length);
  const values: SortValue[] = new Array<SortValue>(slots.length * width);
  const rows: number[] = new Array<number>(slots.length);
  for (let row = 0; row < slots.length; row++) {
    const record = table.recordAt(slots[row] as number) as StoredRecord;
    const resource = needsResource ? record.resource() : undefined;
    ids[row] = record.id;
    rows[row] = row;
    for (let k = 0; k < width; k++) values[row * width + k] = sortValue(table, record, keys[k] as SortKey, resource);
  }
  // One key (`_sort=-date`, the usual) compares without a loop over keys.
  rows.sort(width === 1 ? byOneKey(values, ids, (keys[0] as SortKey).descending) : byKeys(values, ids, keys));
  const sorted: number[] = new Array<number>(rows.length);
  for (let at = 0; at < rows.length; at++) sorted[at] = slots[rows[at] as number] as number;
  return sorted;
}

function byOneKey(values: readonly SortValue[], ids: readonly string[], descending: boolean): (a: number, b: number) => number {
  return (a, b) => compareValues(values[a], values[b], descending) || compareIds(ids[a] as string, ids[b] as string);
}

function byKeys(values: readonly SortValue[], ids: readonly string[], keys: readonly SortKey[]): (a: number, b: number) => number {
  const width = keys.length;
  return (a, b) => {
    for (let k = 0; k < width; k++) {
      const order = compareValues(values[a * width + k], values[b * width + k], (keys[k] as SortKey).descending);
      if (order !== 0) return order;
    }
    return compareIds(ids[a] as string, ids[b] as string);
  };
}

/** Ties fall back to the id, so paging is stable. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortValue(table: TypeTable, record: StoredRecord, key: SortKey, resource: Resource | undefined): SortValue {
  const target = key.target;
  if (target.kind === 'id') return record.id;
  if (target.kind === 'lastUpdated') return record.lastUpdated;
  const values = table.valuesOf(record, target.paramIndex, resource);
  if (values.length === 0) return undefined;
  if (target.isDate) {
    const bounds = values as readonly number[];
    let best = key.descending ? -Infinity : Infinity;
    // Pairs are [start, end): ascending looks at starts, descending at ends.
    for (let i = key.descending ? 1 : 0; i < bounds.length; i += 2) {
      const bound = bounds[i] as number;
      best = key.descending ? Math.max(best, bound) : Math.min(best, bound);
    }
    return best;
  }
  const strings = values as readonly string[];
  let best = strings[0] as string;
  for (const value of strings) if (key.descending ? value > best : value < best) best = value;
  return best;
}

function compareValues(a: SortValue, b: SortValue, descending: boolean): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const order = a < b ? -1 : 1;
  return descending ? -order : order;
}
