import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSearch } from '../../src/fhir/search/parseSearch.js';
import type { SortKey } from '../../src/fhir/search/searchQuery.js';
import { sortMatches } from '../../src/fhir/search/sortMatches.js';
import type { SearchParamDefinition } from '../../src/fhir/versions/searchParamDefinition.js';
import type { Resource } from '../../src/fhir/types.js';
import { testServer } from './fixtures.js';

/**
 * `_sort` by one date (the typed-column path) against the general path with the same date key
 * followed by `_id`: ties already fall back to the id, so the two orders must be the same. Random
 * data with many ties: few distinct instants, periods with and without an end, records without a
 * date; fewer and more matches than the insertion sort takes; a date in a record's first column
 * (Observation) and in its second (Condition's onset, after asserted-date).
 */
const INSTANTS = ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', '2024-06-01', '2023', '2025-03-04T10:00:00+02:00'];

const instant = fc.constantFrom(...INSTANTS);
const period = fc.record({ start: instant, end: fc.option(instant, { nil: undefined }) }).map(({ start, end }) => (end === undefined ? { start } : { start, end }));

const CASES = [
  {
    type: 'Observation',
    param: 'date',
    fields: fc.oneof(
      fc.constant({}),
      instant.map((value) => ({ effectiveDateTime: value })),
      period.map((value) => ({ effectivePeriod: value })),
    ),
    base: { status: 'final', code: { text: 'heart rate' } },
  },
  {
    type: 'Condition',
    param: 'onset-date',
    fields: fc.record(
      { assertedDate: instant, onset: fc.oneof(fc.constant({}), instant.map((value) => ({ onsetDateTime: value })), period.map((value) => ({ onsetPeriod: value }))) },
      { requiredKeys: ['onset'] },
    ).map(({ assertedDate, onset }) => ({ ...(assertedDate === undefined ? {} : { assertedDate }), ...onset })),
    base: { subject: { reference: 'Patient/p' } },
  },
] as const;

function sortKeys(type: string, sort: string, definitions: readonly SearchParamDefinition[]): SortKey[] {
  const parsed = parseSearch(type, [['_sort', sort]], definitions, { strict: true });
  if (!parsed.ok) throw parsed.error;
  return parsed.query.controls.sort;
}

describe.each(CASES)('sorting $type by $param alone', ({ type, param, fields, base }) => {
  it('orders as the general path with the id as a second key, on random data full of ties', () => {
    fc.assert(
      fc.property(fc.array(fields, { maxLength: 80 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 60 }), (records, descending, picks) => {
        const resources: Resource[] = records.map((extra, i) => ({ resourceType: type, id: `r-${String((i * 7919) % 1000).padStart(3, '0')}`, ...base, ...extra }));
        const server = testServer('stu3', { resources });
        const table = server.provider.store.table(type);
        if (table === undefined) return;
        const definitions = server.provider.adapter.searchParams[type] ?? [];
        const live = Array.from({ length: table.slotCount }, (_, slot) => slot).filter((slot) => table.isLive(slot));
        const picked = [...new Set(picks.map((pick) => live[pick % Math.max(1, live.length)]))].filter((slot): slot is number => slot !== undefined);
        const slots = picks.length === 0 ? live : picked.sort((a, b) => a - b);
        const direction = descending ? '-' : '';
        const alone = sortKeys(type, `${direction}${param}`, definitions);
        const withId = sortKeys(type, `${direction}${param},_id`, definitions);
        expect(alone).toHaveLength(1);
        expect(sortMatches(table, slots, alone)).toEqual(sortMatches(table, slots, withId));
      }),
      { seed: 20261203, numRuns: 200 },
    );
  });
});
