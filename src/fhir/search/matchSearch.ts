import type { StoredRecord } from '../store/storedRecord.js';
import type { TypeTable } from '../store/typeTable.js';
import type { PostingIndex } from '../store/postingIndex.js';
import { sliceSlots } from '../store/slotList.js';
import type { SlotList } from '../store/slotList.js';
import { normalizeText } from '../text/normalizeText.js';
import type { Resource } from '../types.js';
import { CandidateLists } from './candidateLists.js';
import type { IndexCandidates } from './candidateLists.js';
import { anyDateMatches } from './dateCondition.js';
import type { SearchFilter, StringMode, TokenCondition } from './searchQuery.js';

export type { IndexCandidates } from './candidateLists.js';

/**
 * Step two of search: the slots of every record that meets all filters, in slot (insertion) order.
 * The filter whose index lookup yields the fewest candidates drives; every other indexed filter is
 * a membership test in its posting lists (binary search), and only dates, ids and a few rare forms
 * look at the record itself. Only a query with no indexed filter scans the table.
 */
export function findMatches(table: TypeTable, filters: readonly SearchFilter[]): readonly number[] {
  const lookups = filters.map((filter) => indexLookup(table, filter));
  let driver = -1;
  let driverSize = Infinity;
  lookups.forEach((lookup, i) => {
    if (lookup === undefined) return;
    const size = sizeOf(lookup);
    if (size < driverSize) {
      driver = i;
      driverSize = size;
    }
  });
  if (driverSize === 0) return [];
  const driverLookup = lookups[driver];
  const candidates = driverLookup === undefined ? liveSlots(table) : unionOfSorted(driverLookup.lists);
  const checks: Check[] = [];
  filters.forEach((filter, i) => {
    if (i !== driver || driverLookup?.exact !== true) checks.push(checkFor(table, filter, lookups[i]));
  });
  if (checks.length === 0) return candidates;
  const matches: number[] = [];
  for (const slot of candidates) {
    const record = table.recordAt(slot);
    if (record === undefined) continue;
    const context: RecordContext = { table, record, resource: undefined };
    if (checks.every((check) => passes(check, context))) matches.push(slot);
  }
  return matches;
}

/** How a candidate is tested against a filter that did not drive: membership in posting lists, or the record itself. */
type Check = { kind: 'member'; lists: ReadonlyArray<SlotList>; negated: boolean } | { kind: 'record'; filter: SearchFilter };

function checkFor(table: TypeTable, filter: SearchFilter, lookup: IndexCandidates | undefined): Check {
  if (filter.kind === 'token' && filter.negated) {
    const positive = tokenCandidates(table, filter.paramIndex, filter.conditions);
    return positive?.exact === true ? { kind: 'member', lists: positive.lists, negated: true } : { kind: 'record', filter };
  }
  return lookup?.exact === true ? { kind: 'member', lists: lookup.lists, negated: false } : { kind: 'record', filter };
}

/** The filter's candidates from the indexes, or undefined when it can only be checked per record. */
export function indexLookup(table: TypeTable, filter: SearchFilter): IndexCandidates | undefined {
  switch (filter.kind) {
    case 'id': {
      const found = new CandidateLists();
      for (const id of new Set(filter.ids)) {
        const slot = table.slotOf(id);
        if (slot !== undefined) found.add([slot], table);
      }
      return found.candidates(true, true);
    }
    case 'reference': {
      const found = new CandidateLists();
      addLists(found, table.postingIndex(filter.paramIndex), filter.keys);
      return found.candidates(true, table.isSingleValued(filter.paramIndex));
    }
    case 'token':
      // A negated token matches what is NOT in its postings: it can test, never drive.
      return filter.negated ? undefined : tokenCandidates(table, filter.paramIndex, filter.conditions);
    case 'string':
      return stringCandidates(table, filter.paramIndex, filter.mode, filter.values);
    case 'lastUpdated':
    case 'date':
    case 'missing':
      return undefined;
  }
}

interface RecordContext {
  table: TypeTable;
  record: StoredRecord;
  /** Parsed on first need, at most once per record and query. */
  resource: Resource | undefined;
}

/** Whether a candidate meets one (non-driving) filter. */
function passes(check: Check, context: RecordContext): boolean {
  const { record } = context;
  if (check.kind === 'member') return check.lists.some((list) => contains(list, record.slot)) !== check.negated;
  const filter = check.filter;
  switch (filter.kind) {
    case 'id':
      return filter.ids.includes(record.id);
    case 'lastUpdated':
      return anyDateMatches(filter.conditions, [record.lastUpdated, record.lastUpdated + 1]);
    case 'date':
      return anyDateMatches(filter.conditions, context.table.valuesOf(record, filter.paramIndex) as readonly number[]);
    case 'missing':
      return (storedValues(context, filter.paramIndex).length === 0) === filter.missing;
    case 'reference':
      return (storedValues(context, filter.paramIndex) as readonly string[]).some((value) => filter.keys.includes(value));
    case 'token': {
      const values = storedValues(context, filter.paramIndex) as readonly string[];
      const found = values.some((value) => filter.conditions.some((condition) => tokenMatches(condition, value)));
      return found !== filter.negated;
    }
    case 'string':
      return stringMatches(context, filter.paramIndex, filter.mode, filter.values);
  }
}

/** The parameter's values as the index holds them, read again from the stored text. */
function storedValues(context: RecordContext, paramIndex: number): readonly (string | number)[] {
  if (context.table.params[paramIndex]?.type !== 'date') context.resource ??= context.record.resource();
  return context.table.valuesOf(context.record, paramIndex, context.resource);
}

/**
 * Postings are keyed by code, and by system then code when the value has a system. `|code`
 * (explicitly no system) is the one form the index can only narrow down; it is then checked per record.
 */
function tokenCandidates(table: TypeTable, paramIndex: number, conditions: readonly TokenCondition[]): IndexCandidates | undefined {
  const byCode = table.postingIndex(paramIndex);
  const bySystem = table.systemIndex(paramIndex);
  if (byCode === undefined || bySystem === undefined) return undefined;
  const found = new CandidateLists();
  let exact = true;
  for (const condition of conditions) {
    const inSystem = condition.system === undefined || condition.system === '' ? undefined : bySystem.get(condition.system);
    if (condition.code === undefined) {
      if (inSystem !== undefined) for (const list of inSystem.lists()) found.add(list, bySystem);
    } else if (condition.system === undefined) {
      addLists(found, byCode, [condition.code]);
    } else if (condition.system === '') {
      addLists(found, byCode, [condition.code]);
      exact = false;
    } else if (inSystem !== undefined) {
      // Every system's codes are one index: a record's single value has one system.
      const list = inSystem.get(condition.code);
      if (list !== undefined) found.add(list, bySystem);
    }
  }
  return found.candidates(exact, table.isSingleValued(paramIndex));
}

/**
 * Searches the distinct normalised keys (far fewer than records: names repeat) rather than the
 * records. `:exact` looks up the normalised form and leaves case and accents to the per-record check.
 */
function stringCandidates(table: TypeTable, paramIndex: number, mode: StringMode, values: readonly string[]): IndexCandidates | undefined {
  const postings = table.postingIndex(paramIndex);
  const dictionary = table.dictionary(paramIndex);
  if (postings === undefined || dictionary === undefined) return undefined;
  const found = new CandidateLists();
  if (mode === 'exact') addLists(found, postings, values.map(normalizeText));
  else for (const list of dictionary.matching(values, mode)) found.add(list.slots, postings);
  return found.candidates(mode !== 'exact', table.isSingleValued(paramIndex));
}

function stringMatches(context: RecordContext, paramIndex: number, mode: StringMode, wanted: readonly string[]): boolean {
  const definition = context.table.params[paramIndex];
  if (definition?.type !== 'string') return false;
  context.resource ??= context.record.resource();
  const values = mode === 'exact' ? definition.extract(context.resource) : definition.extract(context.resource).map(normalizeText);
  if (mode === 'exact') return values.some((value) => wanted.includes(value));
  if (mode === 'contains') return values.some((value) => wanted.some((part) => value.includes(part)));
  return values.some((value) => wanted.some((part) => value.startsWith(part)));
}

function tokenMatches(condition: TokenCondition, stored: string): boolean {
  const bar = stored.indexOf('|');
  if (condition.code !== undefined && stored.slice(bar + 1) !== condition.code) return false;
  return condition.system === undefined || stored.slice(0, bar) === condition.system;
}

function addLists(found: CandidateLists, postings: PostingIndex | undefined, keys: readonly string[]): void {
  if (postings === undefined) return;
  for (const key of keys) {
    const list = postings.get(key);
    if (list !== undefined) found.add(list, postings);
  }
}

function sizeOf(candidates: IndexCandidates): number {
  let size = 0;
  for (const list of candidates.lists) size += list.length;
  return size;
}

function contains(list: SlotList, slot: number): boolean {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const value = list[mid] as number;
    if (value === slot) return true;
    if (value < slot) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

function liveSlots(table: TypeTable): number[] {
  const slots: number[] = [];
  for (let slot = 0; slot < table.slotCount; slot++) if (table.isLive(slot)) slots.push(slot);
  return slots;
}

/** The sorted, duplicate-free union of sorted slot lists, as a new array (a single list is copied: the store's lists are not arrays of its caller). */
function unionOfSorted(lists: ReadonlyArray<SlotList>): readonly number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return sliceSlots(lists[0] as SlotList, 0);
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
