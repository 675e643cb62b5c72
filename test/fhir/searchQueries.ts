import fc from 'fast-check';
import type { Resource } from '../../src/fhir/types.js';
import type { SearchParamDefinition } from '../../src/fhir/versions/searchParamDefinition.js';
import type { Modifier, QueryFilter, QuerySort, ReferenceQuery } from './searchOracle.js';

/**
 * Random searches for the property test, drawn mostly from values the data really holds (so that
 * queries match something) with near misses mixed in: every parameter type, OR lists, every
 * modifier the engine supports, every date prefix at every precision, several sort keys in both
 * spellings, and paging.
 */

const DATE_PREFIXES = ['', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb'] as const;
const COUNTS = [0, 1, 2, 3, 5, 10, 50] as const;

export interface ValuePools {
  types: string[];
  definitions: Readonly<Record<string, readonly SearchParamDefinition[]>>;
  /** Per "Type.param": values that find something, as a client could send them. */
  values: Map<string, string[]>;
  /** Per "Type.param": values that should find nothing, or little. */
  misses: Map<string, string[]>;
  ids: Map<string, string[]>;
  lastUpdated: Map<string, string[]>;
}

export function valuePools(resources: readonly Resource[], definitions: Readonly<Record<string, readonly SearchParamDefinition[]>>): ValuePools {
  const types = [...new Set(resources.map((resource) => resource.resourceType))].filter((type) => definitions[type] !== undefined);
  const values = new Map<string, string[]>();
  const misses = new Map<string, string[]>();
  const ids = new Map<string, string[]>();
  const lastUpdated = new Map<string, string[]>();
  for (const type of types) {
    const ofType = resources.filter((resource) => resource.resourceType === type);
    ids.set(type, ofType.map((resource) => resource.id as string));
    lastUpdated.set(type, [...new Set(ofType.map((resource) => resource.meta?.lastUpdated as string))]);
    for (const definition of definitions[type] ?? []) {
      const pool = new Set<string>();
      for (const resource of ofType) for (const value of sampleValues(definition, resource)) pool.add(value);
      values.set(`${type}.${definition.name}`, [...pool].filter((value) => value !== ''));
      misses.set(`${type}.${definition.name}`, nearMisses(definition));
    }
  }
  return { types, definitions, values, misses, ids, lastUpdated };
}

/** What a client would send to find this resource by this parameter. */
function sampleValues(definition: SearchParamDefinition, resource: Resource): string[] {
  switch (definition.type) {
    case 'string':
      return definition.extract(resource).flatMap((text) => [text, text.slice(0, 1), text.slice(0, 3), text.slice(1, 4), text.toUpperCase()]);
    case 'token':
      return definition.extract(resource).flatMap((token) =>
        token.system === undefined ? [token.code, `|${token.code}`] : [token.code, `${token.system}|${token.code}`, `${token.system}|`, `|${token.code}`],
      );
    case 'reference':
      return definition.extract(resource).flatMap((reference) => {
        const parts = reference.replace(/\/_history\/.*$/, '').split('/');
        const id = parts.at(-1) ?? '';
        const typed = parts.slice(-2).join('/');
        return [id, typed, `http://other.test/fhir/${typed}`];
      });
    case 'date':
      return definition.extract(resource).flatMap((value) => [value.start, value.end].filter((text): text is string => text !== undefined));
  }
}

function nearMisses(definition: SearchParamDefinition): string[] {
  switch (definition.type) {
    case 'string':
      return ['zz', 'a', 'Zoë', 'smith, jr'];
    case 'token':
      return ['no-such-code', 'urn:nowhere|', 'true', 'false'];
    case 'reference':
      return ['no-such-id', 'Patient/no-such-id'];
    case 'date':
      return ['1900-01-01', '2025', '2030-12-31T23:59:59Z'];
  }
}

/** A date at a random precision: YYYY, YYYY-MM, YYYY-MM-DD, to the minute, or as found. */
const datePrecision = (text: string) =>
  fc.constantFrom(4, 7, 10, 16, text.length).map((length) => (length === 16 && text.length > 16 ? `${text.slice(0, 16)}Z` : text.slice(0, length)));

/** One value: mostly one the data holds, sometimes a near miss. */
function pick(candidates: readonly string[], misses: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: fc.constantFrom(...candidates), weight: 6 }, { arbitrary: fc.constantFrom(...misses), weight: 1 });
}

/** OR lists of one to three alternatives. */
const alternatives = (value: fc.Arbitrary<string>) => fc.array(value, { minLength: 1, maxLength: 3 });

/** Dates at any precision behind any prefix (or none). */
const dateAlternatives = (value: fc.Arbitrary<string>) =>
  alternatives(fc.tuple(fc.constantFrom(...DATE_PREFIXES), value.chain(datePrecision)).map(([prefix, date]) => `${prefix}${date}`));

function filterArbitrary(pools: ValuePools, type: string): fc.Arbitrary<QueryFilter> {
  const options: Array<fc.Arbitrary<QueryFilter>> = [
    alternatives(pick(pools.ids.get(type) ?? [], ['no-such-id'])).map((values) => ({ name: '_id', values })),
    dateAlternatives(pick(pools.lastUpdated.get(type) ?? [], ['2020', '2026-01-01T08:00Z'])).map((values) => ({ name: '_lastUpdated', values })),
  ];
  for (const definition of pools.definitions[type] ?? []) {
    const key = `${type}.${definition.name}`;
    const candidates = pools.values.get(key) ?? [];
    if (candidates.length === 0) continue;
    const missing = fc.boolean().map((flag): QueryFilter => ({ name: definition.name, modifier: 'missing', values: [String(flag)] }));
    const withValues = valueFilter(definition, pick(candidates, pools.misses.get(key) ?? []));
    options.push(fc.oneof({ arbitrary: withValues, weight: 5 }, { arbitrary: missing, weight: 1 }));
  }
  return fc.oneof(...options);
}

function valueFilter(definition: SearchParamDefinition, value: fc.Arbitrary<string>): fc.Arbitrary<QueryFilter> {
  const name = definition.name;
  switch (definition.type) {
    case 'string':
      return fc.tuple(fc.constantFrom<Modifier | undefined>(undefined, 'contains', 'exact'), alternatives(value)).map(([modifier, values]) => withModifier(name, modifier, values));
    case 'token':
      return fc.tuple(fc.constantFrom<Modifier | undefined>(undefined, undefined, 'not'), alternatives(value)).map(([modifier, values]) => withModifier(name, modifier, values));
    case 'reference': {
      const typed = fc.constantFrom<Modifier | undefined>(undefined, undefined, ...definition.targets.map((target) => ({ type: target })));
      return fc.tuple(typed, alternatives(value)).map(([modifier, values]) => withModifier(name, modifier, typeof modifier === 'object' ? values.map(bareId) : values));
    }
    case 'date':
      return dateAlternatives(value).map((values) => ({ name, values }));
  }
}

function withModifier(name: string, modifier: Modifier | undefined, values: string[]): QueryFilter {
  return modifier === undefined ? { name, values } : { name, modifier, values };
}

/** `:Type` takes an id alone. */
function bareId(value: string): string {
  return value.split('/').at(-1) ?? value;
}

function sortArbitrary(pools: ValuePools, type: string): fc.Arbitrary<QuerySort[]> {
  const names = ['_id', '_lastUpdated', ...(pools.definitions[type] ?? []).map((definition) => definition.name)];
  return fc.array(fc.record({ name: fc.constantFrom(...names), descending: fc.boolean() }), { maxLength: 3 });
}

export interface GeneratedQuery {
  query: ReferenceQuery;
  /** The same query as the (name, value) pairs a client sends. */
  params: Array<[string, string]>;
}

export function queryArbitrary(pools: ValuePools): fc.Arbitrary<GeneratedQuery> {
  return fc.constantFrom(...pools.types).chain((type) =>
    fc
      .record({
        // Mostly one or two filters: every added filter (AND) makes an empty result likelier.
        filters: fc.oneof(
          { arbitrary: fc.array(filterArbitrary(pools, type), { minLength: 1, maxLength: 2 }), weight: 4 },
          { arbitrary: fc.array(filterArbitrary(pools, type), { maxLength: 3 }), weight: 1 },
        ),
        sort: sortArbitrary(pools, type),
        sortSpelling: fc.constantFrom('joined', 'separate'),
        count: fc.constantFrom(...COUNTS),
        offset: fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.nat(4), weight: 2 }, { arbitrary: fc.nat(60), weight: 1 }),
        // One query in ten asks only for the total.
        totalOnly: fc.integer({ min: 0, max: 9 }).map((roll) => roll === 0),
      })
      .map(({ filters, sort, sortSpelling, count, offset, totalOnly }) => {
        const query: ReferenceQuery = { resourceType: type, filters, sort, count, offset, totalOnly };
        return { query, params: toParams(query, sortSpelling) };
      }),
  );
}

function toParams(query: ReferenceQuery, sortSpelling: 'joined' | 'separate'): Array<[string, string]> {
  const params: Array<[string, string]> = query.filters.map((filter) => [
    filter.modifier === undefined ? filter.name : `${filter.name}:${typeof filter.modifier === 'object' ? filter.modifier.type : filter.modifier}`,
    filter.values.map(escapeValue).join(','),
  ]);
  if (sortSpelling === 'joined' && query.sort.length > 0) {
    params.push(['_sort', query.sort.map((key) => `${key.descending ? '-' : ''}${key.name}`).join(',')]);
  } else {
    // DSTU2's spelling, one key per parameter.
    for (const key of query.sort) params.push([key.descending ? '_sort:desc' : '_sort:asc', key.name]);
  }
  params.push(['_count', String(query.count)], ['_offset', String(query.offset)]);
  if (query.totalOnly) params.push(['_summary', 'count']);
  return params;
}

/** A comma inside one alternative is sent as `\,` (and a backslash as `\\`). */
function escapeValue(value: string): string {
  return value.replace(/[\\,]/g, (char) => `\\${char}`);
}
