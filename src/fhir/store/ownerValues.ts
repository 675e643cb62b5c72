import type { Resource } from '../types.js';
import type { SearchParamDefinition, TokenValue } from '../versions/searchParamDefinition.js';
import { indexValuesOf } from './indexValues.js';
import type { IndexedValues } from './indexValues.js';

/** A record's values per owning parameter: tokens stay {system, code}, so indexing builds no "system|code" strings. */
export type OwnerValues = Array<IndexedValues | readonly TokenValue[]>;

/**
 * Which parameters own an index. Parameters that read the same elements (STU3 `patient` and
 * `subject`) share one: `ownerOf[i]` is the first parameter of i's group, `owners` those firsts in order.
 */
export interface IndexOwners {
  readonly ownerOf: readonly number[];
  readonly owners: readonly number[];
  /** How many owners are date parameters: a record's flat date array holds one pair count per such owner. */
  readonly dateOwnerCount: number;
}

export function indexOwnersOf(params: readonly SearchParamDefinition[]): IndexOwners {
  const ownerOf = params.map((param, i) => {
    const first = params.findIndex((other) => other.type === param.type && other.source === param.source);
    return first < 0 ? i : first;
  });
  const owners = ownerOf.filter((owner, i) => owner === i);
  return { ownerOf, owners, dateOwnerCount: owners.filter((owner) => params[owner]?.type === 'date').length };
}

/** The record's values per owner (same order as `owners`), as every write and every prepared record extracts them. */
export function extractOwnerValues(params: readonly SearchParamDefinition[], owners: readonly number[], resource: Resource): OwnerValues {
  const values = new Array<IndexedValues | readonly TokenValue[]>(owners.length);
  for (let i = 0; i < owners.length; i++) {
    const param = params[owners[i] as number] as SearchParamDefinition;
    values[i] = param.type === 'token' ? param.extract(resource) : indexValuesOf(param, resource);
  }
  return values;
}

const NO_DATES: readonly number[] = Object.freeze([]) as readonly number[];

/**
 * The date owners' bounds as one flat array, [pairs, start, end, …] per date owner in order, kept
 * after the record's text; empty (and shared) when the record has no date at all.
 */
export function flatDates(params: readonly SearchParamDefinition[], owners: IndexOwners, values: OwnerValues): readonly number[] {
  if (owners.dateOwnerCount === 0) return NO_DATES;
  const dates: number[] = [];
  for (let i = 0; i < owners.owners.length; i++) {
    if (params[owners.owners[i] as number]?.type !== 'date') continue;
    const bounds = values[i] as readonly number[];
    dates.push(bounds.length / 2);
    for (const bound of bounds) dates.push(bound);
  }
  // Each column adds its pair count: anything longer holds at least one date.
  return dates.length > owners.dateOwnerCount ? dates : NO_DATES;
}
