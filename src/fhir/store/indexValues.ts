import type { Resource } from '../types.js';
import type { SearchParamDefinition } from '../versions/searchParamDefinition.js';
import { normalizeText } from '../text/normalizeText.js';
import { parseDateRange } from '../text/dateRange.js';
import type { DateRange } from '../text/dateRange.js';

/**
 * What a record keeps per search parameter, extracted once when it is stored:
 * string → normalised keys; token → "system|code" (system empty when absent);
 * reference → "Type/id"; date → flat [start, end, start, end, …] epoch ms (end exclusive, open ends ±Infinity).
 */
export type IndexedValues = readonly string[] | readonly number[];

export const NO_VALUES: readonly string[] = Object.freeze([]) as readonly string[];

/** Exact-size arrays (or the shared empty one): date bounds are kept per record, so no spare capacity. */
export function indexValuesOf(definition: SearchParamDefinition, resource: Resource): IndexedValues {
  switch (definition.type) {
    case 'string':
      return unique(definition.extract(resource).map(normalizeText));
    case 'token':
      return unique(definition.extract(resource).map((token) => `${token.system ?? ''}|${token.code}`));
    case 'reference': {
      const keys: string[] = [];
      for (const reference of definition.extract(resource)) {
        const key = referenceKey(reference);
        if (key !== undefined) keys.push(key);
      }
      return unique(keys);
    }
    case 'date': {
      const bounds: number[] = [];
      for (const value of definition.extract(resource)) {
        const start = value.start === undefined ? -Infinity : dateRangeOf(value.start)?.start;
        const end = value.end === undefined ? Infinity : dateRangeOf(value.end)?.end;
        if (start !== undefined && end !== undefined) bounds.push(start, end);
      }
      return bounds.length === 0 ? NO_VALUES : bounds.slice();
    }
  }
}

let lastDate: { text: string; range: DateRange | undefined } = { text: '', range: undefined };

/**
 * parseDateRange, remembering the last text: a bulk load indexes runs of records with the same
 * date (an encounter's period and its observations' effective times), and ranges are never changed.
 */
function dateRangeOf(text: string): DateRange | undefined {
  if (text !== lastDate.text) lastDate = { text, range: parseDateRange(text) };
  return lastDate.range;
}

/**
 * "Patient/1", "http://host/fhir/Patient/1" and "Patient/1/_history/2" all become "Patient/1";
 * a bare id or a contained reference ("#x") has no type and is not indexed.
 */
export function referenceKey(reference: string): string | undefined {
  // The usual form, "Patient/1", is its own key: no new string.
  const slash = reference.indexOf('/');
  if (slash > 0 && slash === reference.lastIndexOf('/') && slash < reference.length - 1 && isTypeName(reference, slash)) return reference;
  const withoutHistory = reference.replace(/\/_history\/[^/]*$/, '');
  const idStart = withoutHistory.lastIndexOf('/');
  if (idStart <= 0) return undefined;
  const typeStart = withoutHistory.lastIndexOf('/', idStart - 1) + 1;
  const type = withoutHistory.slice(typeStart, idStart);
  const id = withoutHistory.slice(idStart + 1);
  if (!/^[A-Z][A-Za-z]+$/.test(type) || id === '') return undefined;
  return `${type}/${id}`;
}

/** Distinct values in an exact-size array: a push-grown one would keep 16 spare slots per record. */
function unique(values: string[]): string[] | readonly string[] {
  if (values.length === 0) return NO_VALUES;
  if (values.length === 1) return [values[0] as string];
  return [...new Set(values)];
}

/** Whether text[0, end) is a resource type name: an upper-case letter, then letters. */
function isTypeName(text: string, end: number): boolean {
  const first = text.charCodeAt(0);
  if (first < 65 || first > 90) return false;
  for (let i = 1; i < end; i++) {
    const code = text.charCodeAt(i) | 32;
    if (code < 97 || code > 122) return false;
  }
  return true;
}
