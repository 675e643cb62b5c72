import { parseDateRange } from '../../src/fhir/text/dateRange.js';
import type { Resource } from '../../src/fhir/types.js';
import type { SearchParamDefinition } from '../../src/fhir/versions/searchParamDefinition.js';

/**
 * A brute-force reference for FHIR search, written from the specification's rules rather than from
 * the engine: it walks every resource, reads each parameter's values with the version's own
 * definitions (which elements a parameter reads is the definition, not the engine), and decides,
 * sorts and pages with plain loops. No index, posting list, dictionary or shortcut.
 */

export type Modifier = 'contains' | 'exact' | 'not' | 'missing' | { type: string };

/** One parameter occurrence of a query: its alternatives are OR-ed; occurrences are AND-ed. */
export interface QueryFilter {
  /** A search parameter name, `_id`, `id` or `_lastUpdated`. */
  name: string;
  modifier?: Modifier;
  /** Alternatives as sent (before comma escaping). */
  values: string[];
}

export interface QuerySort {
  name: string;
  descending: boolean;
}

export interface ReferenceQuery {
  resourceType: string;
  filters: QueryFilter[];
  sort: QuerySort[];
  count: number;
  offset: number;
  totalOnly: boolean;
}

export interface ReferenceResult {
  total: number;
  ids: string[];
}

interface Interval {
  start: number;
  /** Exclusive. */
  end: number;
}

export function referenceSearch(
  resources: readonly Resource[],
  definitions: readonly SearchParamDefinition[],
  query: ReferenceQuery,
): ReferenceResult {
  const matches = resources.filter(
    (resource) => resource.resourceType === query.resourceType && query.filters.every((filter) => filterHolds(resource, filter, definitions)),
  );
  const ordered = query.sort.length === 0 ? matches : [...matches].sort((a, b) => compareBySort(a, b, query.sort, definitions));
  const page = query.totalOnly ? [] : ordered.slice(query.offset, query.offset + query.count);
  return { total: matches.length, ids: page.map((resource) => resource.id as string) };
}

function definitionOf(definitions: readonly SearchParamDefinition[], name: string): SearchParamDefinition {
  const definition = definitions.find((candidate) => candidate.name === name);
  if (definition === undefined) throw new Error(`oracle: no parameter ${name}`);
  return definition;
}

function filterHolds(resource: Resource, filter: QueryFilter, definitions: readonly SearchParamDefinition[]): boolean {
  if (filter.name === '_id' || filter.name === 'id') return filter.values.includes(resource.id as string);
  if (filter.name === '_lastUpdated') {
    const at = Date.parse(resource.meta?.lastUpdated as string);
    return filter.values.some((value) => dateHolds(value, { start: at, end: at + 1 }));
  }
  const definition = definitionOf(definitions, filter.name);
  if (filter.modifier === 'missing') return (valueCount(resource, definition) === 0) === (filter.values[0] === 'true');
  switch (definition.type) {
    case 'string': {
      const found = definition.extract(resource);
      if (filter.modifier === 'exact') return found.some((value) => filter.values.includes(value));
      const texts = found.map(fold);
      const wanted = filter.values.map(fold);
      if (filter.modifier === 'contains') return texts.some((text) => wanted.some((part) => text.includes(part)));
      return texts.some((text) => wanted.some((part) => text.startsWith(part)));
    }
    case 'token': {
      const tokens = definition.extract(resource);
      const found = tokens.some((token) => filter.values.some((value) => tokenHolds(value, token.system, token.code)));
      return filter.modifier === 'not' ? !found : found;
    }
    case 'reference': {
      const keys = definition.extract(resource).map(referenceTarget).filter((key): key is string => key !== undefined);
      const targets = typeof filter.modifier === 'object' ? [filter.modifier.type] : definition.targets;
      return filter.values.some((value) => wantedTargets(value, targets).some((wanted) => keys.includes(wanted)));
    }
    case 'date':
      return intervalsOf(resource, definition).some((interval) => filter.values.some((value) => dateHolds(value, interval)));
  }
}

function valueCount(resource: Resource, definition: SearchParamDefinition): number {
  switch (definition.type) {
    case 'string':
    case 'token':
      return definition.extract(resource).length;
    case 'reference':
      return definition.extract(resource).filter((reference) => referenceTarget(reference) !== undefined).length;
    case 'date':
      return intervalsOf(resource, definition).length;
  }
}

/** FHIR string matching ignores case and accents. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** `code`, `system|code`, `|code` (no system) and `system|` (any code of the system). */
function tokenHolds(value: string, system: string | undefined, code: string): boolean {
  const bar = value.indexOf('|');
  if (bar < 0) return code === value;
  const wantedSystem = value.slice(0, bar);
  const wantedCode = value.slice(bar + 1);
  if (wantedCode !== '' && wantedCode !== code) return false;
  return wantedSystem === '' ? system === undefined : system === wantedSystem;
}

/** "Type/id" of a reference as written in a resource, wherever it points; undefined when it names no type. */
function referenceTarget(reference: string): string | undefined {
  const parts = reference.replace(/\/_history\/[^/]*$/, '').split('/');
  if (parts.length < 2) return undefined;
  const type = parts[parts.length - 2] as string;
  const id = parts[parts.length - 1] as string;
  return /^[A-Z][A-Za-z]+$/.test(type) && id !== '' ? `${type}/${id}` : undefined;
}

/** A search value: a bare id means any of the parameter's target types. */
function wantedTargets(value: string, targets: readonly string[]): string[] {
  const parts = value.split('/');
  if (parts.length === 1) return targets.map((type) => `${type}/${value}`);
  return [`${parts[parts.length - 2]}/${parts[parts.length - 1]}`];
}

function intervalsOf(resource: Resource, definition: SearchParamDefinition & { type: 'date' }): Interval[] {
  const intervals: Interval[] = [];
  for (const value of definition.extract(resource)) {
    const start = value.start === undefined ? -Infinity : parseDateRange(value.start)?.start;
    const end = value.end === undefined ? Infinity : parseDateRange(value.end)?.end;
    if (start !== undefined && end !== undefined) intervals.push({ start, end });
  }
  return intervals;
}

/** The prefixes as the specification words them, over the search value's range and the resource's. */
function dateHolds(value: string, target: Interval): boolean {
  const prefixed = /^[a-z]{2}/.test(value);
  const prefix = prefixed ? value.slice(0, 2) : 'eq';
  const range = parseDateRange(prefixed ? value.slice(2) : value);
  if (range === undefined) throw new Error(`oracle: bad date ${value}`);
  const above: Interval = { start: range.end, end: Infinity };
  const below: Interval = { start: -Infinity, end: range.start };
  const containsTarget = contains(range, target);
  switch (prefix) {
    case 'eq':
      return containsTarget;
    case 'ne':
      return !containsTarget;
    case 'gt':
      return overlaps(above, target);
    case 'lt':
      return overlaps(below, target);
    case 'ge':
      return overlaps(above, target) || containsTarget;
    case 'le':
      return overlaps(below, target) || containsTarget;
    case 'sa':
      return !overlaps(range, target) && contains(above, target);
    case 'eb':
      return !overlaps(range, target) && contains(below, target);
    default:
      throw new Error(`oracle: unknown prefix ${prefix}`);
  }
}

function contains(outer: Interval, inner: Interval): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

type SortValue = string | number | undefined;

/**
 * The sandbox's documented order: ascending takes a resource's smallest value (a period's start),
 * descending its largest (a period's end); resources without a value come last either way; ties
 * go by id.
 */
function compareBySort(a: Resource, b: Resource, sort: readonly QuerySort[], definitions: readonly SearchParamDefinition[]): number {
  for (const key of sort) {
    const left = sortValue(a, key, definitions);
    const right = sortValue(b, key, definitions);
    if (left === right) continue;
    if (left === undefined) return 1;
    if (right === undefined) return -1;
    const order = left < right ? -1 : 1;
    return key.descending ? -order : order;
  }
  return (a.id as string) < (b.id as string) ? -1 : 1;
}

function sortValue(resource: Resource, key: QuerySort, definitions: readonly SearchParamDefinition[]): SortValue {
  if (key.name === '_id' || key.name === 'id') return resource.id;
  if (key.name === '_lastUpdated') return Date.parse(resource.meta?.lastUpdated as string);
  const definition = definitionOf(definitions, key.name);
  let values: Array<string | number>;
  switch (definition.type) {
    case 'string':
      values = definition.extract(resource).map(fold);
      break;
    case 'token':
      values = definition.extract(resource).map((token) => `${token.system ?? ''}|${token.code}`);
      break;
    case 'reference':
      values = definition.extract(resource).map(referenceTarget).filter((target): target is string => target !== undefined);
      break;
    case 'date':
      values = intervalsOf(resource, definition).map((interval) => (key.descending ? interval.end : interval.start));
      break;
  }
  if (values.length === 0) return undefined;
  return values.reduce((best, value) => ((key.descending ? value > best : value < best) ? value : best));
}
