import type { StoredRecord } from '../store/storedRecord.js';
import type { TypeTable } from '../store/typeTable.js';
import type { Resource } from '../types.js';
import type { SortKey } from './searchQuery.js';

type SortValue = string | number | undefined;

/**
 * Step three (a): orders matched slots by the `_sort` keys. With several values, ascending uses the
 * smallest and descending the largest (a Period sorts by its start going up, by its end going down).
 * Records without a value come last either way; ties fall back to the id, so paging is stable.
 */
export function sortMatches(table: TypeTable, slots: readonly number[], keys: readonly SortKey[]): readonly number[] {
  if (keys.length === 0) return slots;
  const rows = slots.map((slot) => {
    const record = table.slots[slot] as StoredRecord;
    // Only dates live on the record; other keys are read once from its text.
    const resource = keys.some((key) => key.target.kind === 'param' && !key.target.isDate) ? record.resource() : undefined;
    return { slot, id: record.id, values: keys.map((key) => sortValue(table, record, key, resource)) };
  });
  rows.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const order = compareValues(a.values[i], b.values[i], (keys[i] as SortKey).descending);
      if (order !== 0) return order;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return rows.map((row) => row.slot);
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
