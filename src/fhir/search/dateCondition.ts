import type { DateCondition } from './searchQuery.js';

/**
 * FHIR's range semantics for date prefixes: the resource's value is the half-open range
 * [start, end) (open ends are ±Infinity), compared with the search value's range.
 */
export function dateConditionHolds(condition: DateCondition, start: number, end: number): boolean {
  const { start: low, end: high } = condition.range;
  const within = start >= low && end <= high;
  switch (condition.prefix) {
    case 'eq':
      return within;
    case 'ne':
      return !within;
    case 'gt':
      return end > high;
    case 'lt':
      return start < low;
    case 'ge':
      return end > high || within;
    case 'le':
      return start < low || within;
    case 'sa':
      return start >= high;
    case 'eb':
      return end <= low;
  }
}

/** True when any of the record's [start, end) pairs meets any of the conditions (alternatives). */
export function anyDateMatches(conditions: readonly DateCondition[], bounds: readonly number[]): boolean {
  for (let i = 0; i + 1 < bounds.length; i += 2) {
    const start = bounds[i] as number;
    const end = bounds[i + 1] as number;
    for (const condition of conditions) if (dateConditionHolds(condition, start, end)) return true;
  }
  return false;
}
