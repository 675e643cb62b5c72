import { FhirError } from '../errors.js';
import { badRequest, notSupported } from '../outcome.js';
import { parseDateRange } from '../text/dateRange.js';
import { normalizeText } from '../text/normalizeText.js';
import type { SearchParamDefinition } from '../versions/searchParamDefinition.js';
import { DATE_PREFIXES } from './searchQuery.js';
import type {
  DateCondition,
  DatePrefix,
  IgnoredParam,
  SearchControls,
  SearchFilter,
  SearchQuery,
  SortKey,
  TokenCondition,
} from './searchQuery.js';

/** `_count` when the client sends none. */
export const DEFAULT_COUNT = 50;
/** Larger `_count` values are lowered to this (FHIR lets a server return fewer than asked). */
export const MAX_COUNT = 500;

export type ParseResult = { ok: true; query: SearchQuery } | { ok: false; error: FhirError };

export interface ParseOptions {
  /** `Prefer: handling=strict`: an unknown or unsupported parameter is an error instead of being ignored. */
  strict: boolean;
}

/** Parameters with no effect on the result that any client may send. */
const SILENTLY_IGNORED = new Set(['_format', '_pretty']);
const UNSUPPORTED_CONTROLS = new Set(['_include', '_revinclude', '_elements', '_contained', '_containedType', '_total', '_text', '_content', '_list', '_has', '_query', '_filter', '_tag', '_profile', '_security']);

/**
 * Step one of search: the raw (name, value) pairs of a query or form body become typed filters and
 * controls for one resource type. Never throws for bad input: a malformed value is an error result.
 */
export function parseSearch(
  resourceType: string,
  params: ReadonlyArray<readonly [string, string]>,
  definitions: readonly SearchParamDefinition[],
  options: ParseOptions,
): ParseResult {
  try {
    return { ok: true, query: parseOrThrow(resourceType, params, definitions, options) };
  } catch (error) {
    if (error instanceof FhirError) return { ok: false, error };
    throw error;
  }
}

function parseOrThrow(
  resourceType: string,
  params: ReadonlyArray<readonly [string, string]>,
  definitions: readonly SearchParamDefinition[],
  options: ParseOptions,
): SearchQuery {
  const filters: SearchFilter[] = [];
  const controls: SearchControls = { count: DEFAULT_COUNT, offset: 0, sort: [], totalOnly: false };
  const usedParams: Array<readonly [string, string]> = [];
  const ignored: IgnoredParam[] = [];
  const ignore = (name: string, reason: string): void => {
    if (options.strict) throw notSupported(`${reason} (Prefer: handling=strict)`, name);
    ignored.push({ name, reason });
  };

  for (const [rawName, value] of params) {
    const colon = rawName.indexOf(':');
    const name = colon < 0 ? rawName : rawName.slice(0, colon);
    const modifier = colon < 0 ? undefined : rawName.slice(colon + 1);
    if (value === '' || SILENTLY_IGNORED.has(name)) continue;
    if (name === '_sort') {
      controls.sort.push(...parseSort(value, modifier, definitions));
      usedParams.push([rawName, value]);
      continue;
    }
    if (name === '_count' || name === '_offset' || name === '_summary') {
      if (modifier !== undefined) throw badRequest(`${name} takes no modifier`, rawName);
      if (name === '_count') controls.count = Math.min(parseNonNegativeInteger(name, value), MAX_COUNT);
      else if (name === '_offset') controls.offset = parseNonNegativeInteger(name, value);
      else if (parseSummary(value, controls, ignore)) usedParams.push([rawName, value]);
      continue;
    }
    if (UNSUPPORTED_CONTROLS.has(name)) {
      ignore(rawName, `Parameter ${rawName} is not supported and was ignored`);
      continue;
    }
    const filter = parseFilter(name, modifier, rawName, value, definitions, ignore);
    if (filter === undefined) continue;
    filters.push(filter);
    usedParams.push([rawName, value]);
  }
  return { resourceType, filters, controls, usedParams, ignored };
}

function parseSummary(value: string, controls: SearchControls, ignore: (name: string, reason: string) => void): boolean {
  switch (value) {
    case 'count':
      controls.totalOnly = true;
      return true;
    case 'false':
      return true;
    case 'true':
    case 'text':
    case 'data':
      ignore('_summary', `_summary=${value} is not supported; full resources are returned`);
      return false;
    default:
      throw badRequest(`_summary must be one of count, true, text, data, false; got "${value}"`, '_summary');
  }
}

function parseNonNegativeInteger(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw badRequest(`${name} must be a non-negative integer; got "${value}"`, name);
  return Number(value);
}

/** `_sort=-date,name` (STU3 on) and `_sort:asc=date` / `_sort:desc=date` (DSTU2) are both accepted. */
function parseSort(value: string, modifier: string | undefined, definitions: readonly SearchParamDefinition[]): SortKey[] {
  if (modifier !== undefined && modifier !== 'asc' && modifier !== 'desc') {
    throw badRequest(`_sort modifier must be asc or desc; got "${modifier}"`, `_sort:${modifier}`);
  }
  return splitValues(value).map((field) => {
    const descending = modifier === 'desc' || field.startsWith('-');
    const name = field.startsWith('-') ? field.slice(1) : field;
    if (name === '_id' || name === 'id') return { name, descending, target: { kind: 'id' } };
    if (name === '_lastUpdated') return { name, descending, target: { kind: 'lastUpdated' } };
    const paramIndex = indexOfParam(definitions, name);
    const definition = definitions[paramIndex];
    if (definition === undefined) throw badRequest(`Cannot sort by "${name}": not a search parameter of this type`, '_sort');
    return { name, descending, target: { kind: 'param', paramIndex, isDate: definition.type === 'date' } };
  });
}

function parseFilter(
  name: string,
  modifier: string | undefined,
  rawName: string,
  value: string,
  definitions: readonly SearchParamDefinition[],
  ignore: (name: string, reason: string) => void,
): SearchFilter | undefined {
  const values = splitValues(value);
  if (values.length === 0) return undefined;
  if (name === '_id' || name === 'id') {
    if (modifier !== undefined) throw notSupported(`Modifier :${modifier} is not supported on ${name}`, rawName);
    return { kind: 'id', name, ids: values };
  }
  if (name === '_lastUpdated') {
    if (modifier !== undefined) throw notSupported(`Modifier :${modifier} is not supported on ${name}`, rawName);
    return { kind: 'lastUpdated', name, conditions: values.map((text) => parseDateCondition(rawName, text)) };
  }
  const paramIndex = indexOfParam(definitions, name);
  const definition = definitions[paramIndex];
  if (definition === undefined) {
    ignore(rawName, `Unknown search parameter "${rawName}" was ignored`);
    return undefined;
  }
  if (modifier === 'missing') {
    if (value !== 'true' && value !== 'false') throw badRequest(`${rawName} must be true or false`, rawName);
    return { kind: 'missing', name, paramIndex, missing: value === 'true' };
  }
  switch (definition.type) {
    case 'string': {
      if (modifier !== undefined && modifier !== 'contains' && modifier !== 'exact') throw unsupportedModifier(rawName, modifier);
      const mode = modifier === 'contains' ? 'contains' : modifier === 'exact' ? 'exact' : 'starts-with';
      return { kind: 'string', name, paramIndex, mode, values: mode === 'exact' ? values : values.map(normalizeText) };
    }
    case 'token': {
      if (modifier !== undefined && modifier !== 'not') throw unsupportedModifier(rawName, modifier);
      return { kind: 'token', name, paramIndex, negated: modifier === 'not', conditions: values.map(parseTokenCondition) };
    }
    case 'date': {
      if (modifier !== undefined) throw unsupportedModifier(rawName, modifier);
      return { kind: 'date', name, paramIndex, conditions: values.map((text) => parseDateCondition(rawName, text)) };
    }
    case 'reference': {
      if (modifier !== undefined && !/^[A-Z][A-Za-z]+$/.test(modifier)) throw unsupportedModifier(rawName, modifier);
      const targets = modifier === undefined ? definition.targets : [modifier];
      // One value, the usual `patient=<id>`: its keys as they are (Array#flatMap cost a batch's search more than its lookup).
      const keys = values.length === 1 ? referenceKeys(values[0] as string, targets) : values.flatMap((text) => referenceKeys(text, targets));
      return { kind: 'reference', name, paramIndex, keys };
    }
  }
}

// Each type's definitions, by name: a search names a few of a type's many parameters, every time.
const PARAM_INDEXES = new WeakMap<readonly SearchParamDefinition[], ReadonlyMap<string, number>>();

/** The index of the parameter called `name` in `definitions` (the first, as findIndex would give), or -1. */
function indexOfParam(definitions: readonly SearchParamDefinition[], name: string): number {
  let byName = PARAM_INDEXES.get(definitions);
  if (byName === undefined) {
    const indexes = new Map<string, number>();
    definitions.forEach((definition, index) => {
      if (!indexes.has(definition.name)) indexes.set(definition.name, index);
    });
    byName = indexes;
    PARAM_INDEXES.set(definitions, byName);
  }
  return byName.get(name) ?? -1;
}

function unsupportedModifier(rawName: string, modifier: string): FhirError {
  return notSupported(`Modifier :${modifier} is not supported on this parameter`, rawName);
}

/** `code`, `system|code`, `|code` (no system) and `system|` (any code in the system). */
function parseTokenCondition(text: string): TokenCondition {
  const bar = text.indexOf('|');
  if (bar < 0) return { code: text };
  const system = text.slice(0, bar);
  const code = text.slice(bar + 1);
  return code === '' ? { system } : { system, code };
}

function parseDateCondition(rawName: string, text: string): DateCondition {
  const hasPrefix = /^[a-z]{2}/.test(text);
  const prefix = (hasPrefix ? text.slice(0, 2) : 'eq') as DatePrefix;
  if (!(DATE_PREFIXES as readonly string[]).includes(prefix)) {
    throw badRequest(`Unsupported date prefix "${prefix}" in ${rawName}; use one of ${DATE_PREFIXES.join(', ')}`, rawName);
  }
  const range = parseDateRange(hasPrefix ? text.slice(2) : text);
  if (range === undefined) throw badRequest(`Malformed date "${text}" in ${rawName}; expected YYYY, YYYY-MM, YYYY-MM-DD or a dateTime`, rawName);
  return { prefix, range };
}

/** `123`, `Patient/123` and `http://host/base/Patient/123` name the same target. */
function referenceKeys(text: string, targets: readonly string[]): string[] {
  // A bare id (the usual `patient=<id>`) has no path to take apart.
  if (!text.includes('/')) return targets.map((target) => `${target}/${text}`);
  const parts = text.replace(/\/_history\/[^/]*$/, '').split('/');
  const id = parts[parts.length - 1] ?? '';
  if (parts.length === 1) return targets.map((target) => `${target}/${id}`);
  const type = parts[parts.length - 2] ?? '';
  return [`${type}/${id}`];
}

/** Splits alternatives on commas; `\,` is a literal comma. */
export function splitValues(value: string): string[] {
  if (!value.includes('\\')) {
    // One value, the common case: no list to build and filter.
    if (!value.includes(',')) return value === '' ? [] : [value];
    return value.split(',').filter((part) => part !== '');
  }
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '\\' && i + 1 < value.length) {
      current += value[i + 1];
      i++;
    } else if (char === ',') {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.filter((part) => part !== '');
}
