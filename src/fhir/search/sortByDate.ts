import type { StoredRecord } from '../store/storedRecord.js';
import type { TypeTable } from '../store/typeTable.js';

/** Up to this many matches are ordered by insertion, with the comparison inlined; more go to Array#sort. */
const INSERTION_LIMIT = 48;

/**
 * `_sort` by one date parameter (`_sort=-date`, the page-load's sort): each match's bound goes into
 * a typed column (NaN for none) and its id into another, and the row numbers are ordered by them.
 * The same order as sortMatches' general path (sortByDate.test.ts holds them equal): a descending
 * sort uses the latest end, an ascending one the earliest start, records without a value come last,
 * and ties fall back to the id. A search's matches are usually few (a patient's vitals): for them an
 * insertion sort whose comparison is inlined costs less than Array#sort calling a comparator per pair.
 */
export function sortByDate(table: TypeTable, slots: readonly number[], paramIndex: number, descending: boolean): number[] {
  const count = slots.length;
  const column = table.dateColumn[paramIndex] as number;
  const bounds = new Float64Array(count);
  const ids = new Array<string>(count);
  const rows = new Array<number>(count);
  for (let row = 0; row < count; row++) {
    const record = table.recordAt(slots[row] as number) as StoredRecord;
    ids[row] = record.id;
    bounds[row] = boundOf(record.dates(), column, descending);
    rows[row] = row;
  }
  if (count <= INSERTION_LIMIT) {
    for (let at = 1; at < count; at++) {
      const row = rows[at] as number;
      let to = at;
      while (to > 0 && compareRows(row, rows[to - 1] as number, bounds, ids, descending) < 0) {
        rows[to] = rows[to - 1] as number;
        to--;
      }
      rows[to] = row;
    }
  } else rows.sort((a, b) => compareRows(a, b, bounds, ids, descending));
  const sorted = new Array<number>(count);
  for (let at = 0; at < count; at++) sorted[at] = slots[rows[at] as number] as number;
  return sorted;
}

function compareRows(a: number, b: number, bounds: Float64Array, ids: readonly string[], descending: boolean): number {
  const x = bounds[a] as number;
  const y = bounds[b] as number;
  if (x < y) return descending ? 1 : -1;
  if (x > y) return descending ? -1 : 1;
  // Equal, or one or both without a value (NaN compares neither less nor greater).
  if (x !== x && y === y) return 1;
  if (y !== y && x === x) return -1;
  const idA = ids[a] as string;
  const idB = ids[b] as string;
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

/**
 * The column's bound that orders the record, from StoredRecord.dates() (each column: its pair count,
 * then [start, end) pairs): descending looks at the latest end, ascending at the earliest start; NaN
 * when the record has no value.
 */
function boundOf(dates: readonly number[], column: number, descending: boolean): number {
  let at = 0;
  for (let i = 0; i < column && at < dates.length; i++) at += 1 + 2 * (dates[at] as number);
  const pairs = at < dates.length ? (dates[at] as number) : 0;
  if (pairs === 0) return NaN;
  let best = descending ? -Infinity : Infinity;
  const end = at + 1 + 2 * pairs;
  for (let i = at + (descending ? 2 : 1); i < end; i += 2) {
    const bound = dates[i] as number;
    if (descending ? bound > best : bound < best) best = bound;
  }
  return best;
}
