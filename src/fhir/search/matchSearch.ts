import type { Resource } from '../types.js';
import type { StoredRecord, TypeTable } from '../store/typeTable.js';
import { anyDateMatches } from './dateCondition.js';
import { normalizeText } from '../text/normalizeText.js';
import type { SearchFilter, StringMode, TokenCondition } from './searchQuery.js';

/**
 * Step two of search: the slots of every record that meets all filters, in slot (insertion) order.
 * The filter whose index lookup yields the fewest candidates drives; the others are checked per
 * record against the values extracted at write time. Only unindexable queries scan the table.
 */
export function findMatches(table: TypeTable, filters: readonly SearchFilter[]): readonly number[] {
  let driver: { filter: SearchFilter; candidates: IndexCandidates; size: number } | undefined;
  for (const filter of filters) {
    const candidates = indexLookup(table, filter);
    if (candidates === undefined) continue;
    let size = 0;
    for (const list of candidates.lists) size += list.length;
    if (size === 0) return [];
    if (driver === undefined || size < driver.size) driver = { filter, candidates, size };
  }
  const candidates = driver === undefined ? liveSlots(table) : unionOfSorted(driver.candidates.lists);
  const checks = filters.filter((filter) => filter !== driver?.filter || !driver.candidates.exact);
  if (checks.length === 0) return candidates;
  const matches: number[] = [];
  for (const slot of candidates) {
    const record = table.slots[slot];
    if (record !== undefined && checks.every((filter) => recordMatches(table, filter, record))) matches.push(slot);
  }
  return matches;
}

/** Sorted slot lists from an index; their union holds every match, and only matches when `exact`. */
export interface IndexCandidates {
  lists: ReadonlyArray<readonly number[]>;
  exact: boolean;
}

/** The filter's candidates from the indexes, or undefined when the filter can only be checked per record. */
export function indexLookup(table: TypeTable, filter: SearchFilter): IndexCandidates | undefined {
  switch (filter.kind) {
    case 'id': {
      const lists: number[][] = [];
      for (const id of new Set(filter.ids)) {
        const record = table.byId.get(id);
        if (record !== undefined) lists.push([record.slot]);
      }
      return { lists, exact: true };
    }
    case 'reference':
      return { lists: postingsFor(table, filter.paramIndex, filter.keys), exact: true };
    case 'token': {
      // Postings are keyed by code alone: a system narrows them further, per record.
      if (filter.negated || filter.conditions.some((condition) => condition.code === undefined)) return undefined;
      const codes = filter.conditions.map((condition) => condition.code as string);
      const exact = filter.conditions.every((condition) => condition.system === undefined);
      return { lists: postingsFor(table, filter.paramIndex, codes), exact };
    }
    case 'string':
      return stringCandidates(table, filter.paramIndex, filter.mode, filter.values);
    case 'lastUpdated':
    case 'date':
    case 'missing':
      return undefined;
  }
}

/** Whether one stored record meets one filter; exact string matches re-read the stored resource. */
export function recordMatches(table: TypeTable, filter: SearchFilter, record: StoredRecord): boolean {
  switch (filter.kind) {
    case 'id':
      return filter.ids.includes(record.id);
    case 'lastUpdated':
      return anyDateMatches(filter.conditions, [record.lastUpdated, record.lastUpdated + 1]);
    case 'date':
      return anyDateMatches(filter.conditions, record.values[filter.paramIndex] as readonly number[]);
    case 'missing':
      return ((record.values[filter.paramIndex]?.length ?? 0) === 0) === filter.missing;
    case 'reference': {
      const values = record.values[filter.paramIndex] as readonly string[];
      return values.some((value) => filter.keys.includes(value));
    }
    case 'token': {
      const values = record.values[filter.paramIndex] as readonly string[];
      const found = values.some((value) => filter.conditions.some((condition) => tokenMatches(condition, value)));
      return found !== filter.negated;
    }
    case 'string': {
      const values = record.values[filter.paramIndex] as readonly string[];
      if (filter.mode === 'contains') return values.some((value) => filter.values.some((wanted) => value.includes(wanted)));
      if (filter.mode === 'starts-with') return values.some((value) => filter.values.some((wanted) => value.startsWith(wanted)));
      return exactStringMatches(table, filter.paramIndex, filter.values, record);
    }
  }
}

function tokenMatches(condition: TokenCondition, stored: string): boolean {
  const bar = stored.indexOf('|');
  if (condition.code !== undefined && (stored.length - bar - 1 !== condition.code.length || !stored.endsWith(condition.code))) return false;
  return condition.system === undefined || (bar === condition.system.length && stored.startsWith(condition.system));
}

/** `:exact` is case- and accent-sensitive, so it compares the resource's own strings, not the normalised keys. */
function exactStringMatches(table: TypeTable, paramIndex: number, wanted: readonly string[], record: StoredRecord): boolean {
  const definition = table.params[paramIndex];
  if (definition?.type !== 'string') return false;
  const resource = JSON.parse(record.json) as Resource;
  return definition.extract(resource).some((value) => wanted.includes(value));
}

/**
 * Walks the distinct normalised keys (far fewer than records: names repeat) rather than the records.
 * `:exact` looks up the normalised form and leaves case and accents to the per-record check.
 */
function stringCandidates(table: TypeTable, paramIndex: number, mode: StringMode, values: readonly string[]): IndexCandidates | undefined {
  const postings = table.postings[paramIndex];
  if (postings === undefined) return undefined;
  if (mode === 'exact') return { lists: postingsFor(table, paramIndex, values.map(normalizeText)), exact: false };
  const lists: number[][] = [];
  const contains = mode === 'contains';
  for (const list of postings.values()) {
    const key = list.key;
    for (const value of values) {
      if (contains ? key.includes(value) : key.startsWith(value)) {
        lists.push(list.slots);
        break;
      }
    }
  }
  return { lists, exact: true };
}

function postingsFor(table: TypeTable, paramIndex: number, keys: readonly string[]): number[][] {
  const postings = table.postings[paramIndex];
  const lists: number[][] = [];
  if (postings === undefined) return lists;
  for (const key of new Set(keys)) {
    const list = postings.get(key);
    if (list !== undefined) lists.push(list.slots);
  }
  return lists;
}

function liveSlots(table: TypeTable): number[] {
  const slots: number[] = [];
  table.slots.forEach((record, slot) => {
    if (record !== undefined) slots.push(slot);
  });
  return slots;
}

/** The sorted, duplicate-free union of sorted slot lists; a single list is returned as is (never mutated). */
function unionOfSorted(lists: ReadonlyArray<readonly number[]>): readonly number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0] as readonly number[];
  let total = 0;
  for (const list of lists) total += list.length;
  const all = new Int32Array(total);
  let at = 0;
  for (const list of lists) for (const slot of list) all[at++] = slot;
  all.sort();
  const union: number[] = [];
  let previous = -1;
  for (const slot of all) {
    if (slot !== previous) union.push(slot);
    previous = slot;
  }
  return union;
}
