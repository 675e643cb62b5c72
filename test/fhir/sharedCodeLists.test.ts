import { describe, expect, it } from 'vitest';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import { findMatches } from '../../src/fhir/search/matchSearch.js';
import { parseSearch } from '../../src/fhir/search/parseSearch.js';
import type { Resource } from '../../src/fhir/types.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { START } from './fixtures.js';

const adapter = adapterFor('stu3');
const LOINC = 'http://loinc.org';
const OTHER = 'urn:other-codes';

/** An Observation whose code is `code`, in `system` when one is given. */
function observation(id: string, code: string, system?: string): Resource {
  return {
    resourceType: 'Observation',
    id,
    meta: { versionId: '1', lastUpdated: '2026-01-01T00:00:00Z' },
    status: 'final',
    code: { coding: [system === undefined ? { code } : { system, code }] },
    subject: { reference: 'Patient/p1' },
  };
}

function newStore(): ResourceStore {
  return new ResourceStore(adapter, new ManualClock(START));
}

/** Ids of every match, in slot order, straight from the indexes. */
function search(store: ResourceStore, code: string): string[] {
  const parsed = parseSearch('Observation', [['code', code]], adapter.searchParams['Observation'] ?? [], { strict: true });
  if (!parsed.ok) throw parsed.error;
  const table = store.table('Observation');
  if (table === undefined) return [];
  return findMatches(table, parsed.query.filters).map((slot) => table.recordAt(slot)?.id as string);
}

/** The code's slots, and the system's slots for the code (undefined when there is none). */
function lists(store: ResourceStore, system: string, code: string) {
  const table = store.table('Observation');
  const param = table?.params.findIndex((definition) => definition.name === 'code') ?? -1;
  const byCode = table?.postingIndex(param)?.get(code);
  const bySystem = table?.systemIndex(param)?.get(system)?.get(code);
  return { byCode: byCode === undefined ? undefined : [...byCode], bySystem: bySystem === undefined ? undefined : [...bySystem] };
}

// Both indexes now hold their own copy of a code's slots (4 bytes each in one typed array per
// index), so where these tests asserted one shared list they assert equal lists.
describe('a code whose records all share one system keeps one posting list for both indexes', () => {
  it('holds one list while every record with the code has the same system', () => {
    const store = newStore();
    for (let i = 0; i < 40; i++) store.add(observation(`o${i}`, '8867-4', LOINC));
    const { byCode, bySystem } = lists(store, LOINC, '8867-4');
    expect(byCode).toHaveLength(40);
    expect(bySystem).toEqual(byCode);
    expect(search(store, '8867-4')).toHaveLength(40);
    expect(search(store, `${LOINC}|8867-4`)).toHaveLength(40);
  });

  it('splits the lists when a record has the code without a system, and answers each index apart', () => {
    const store = newStore();
    store.add(observation('a', '8867-4', LOINC));
    store.add(observation('b', '8867-4'));
    store.add(observation('c', '8867-4', LOINC));
    const { byCode, bySystem } = lists(store, LOINC, '8867-4');
    expect(bySystem).not.toEqual(byCode);
    expect(search(store, '8867-4')).toEqual(['a', 'b', 'c']);
    expect(search(store, `${LOINC}|8867-4`)).toEqual(['a', 'c']);
    expect(search(store, '|8867-4')).toEqual(['b']);
  });

  it('splits the lists when a record has the code in another system, even within one record', () => {
    const store = newStore();
    store.add(observation('a', 'x1', LOINC));
    store.add({ ...observation('b', 'x1', LOINC), code: { coding: [{ system: LOINC, code: 'x1' }, { system: OTHER, code: 'x1' }] } });
    store.add(observation('c', 'x1', OTHER));
    expect(search(store, 'x1')).toEqual(['a', 'b', 'c']);
    expect(search(store, `${LOINC}|x1`)).toEqual(['a', 'b']);
    expect(search(store, `${OTHER}|x1`)).toEqual(['b', 'c']);
    expect(search(store, `${LOINC}|`)).toEqual(['a', 'b']);
  });

  it('removes a deleted or updated record from a shared list once, and forgets the code and system with the last one', () => {
    const store = newStore();
    store.add(observation('a', '8867-4', LOINC));
    store.add(observation('b', '8867-4', LOINC));
    expect(store.remove('Observation', 'a')).toBe(true);
    expect(search(store, '8867-4')).toEqual(['b']);
    expect(search(store, `${LOINC}|8867-4`)).toEqual(['b']);
    store.upsert(observation('b', '29463-7', LOINC));
    expect(search(store, '8867-4')).toEqual([]);
    expect(search(store, `${LOINC}|8867-4`)).toEqual([]);
    expect(lists(store, LOINC, '8867-4')).toEqual({ byCode: undefined, bySystem: undefined });
    expect(search(store, `${LOINC}|29463-7`)).toEqual(['b']);
    store.remove('Observation', 'b');
    const table = store.table('Observation');
    const param = table?.params.findIndex((definition) => definition.name === 'code') ?? -1;
    expect([...(table?.systemIndex(param)?.systems() ?? [])]).toHaveLength(0);
  });

  it('renumbers a shared list once when the table compacts', () => {
    const store = newStore();
    const total = 3_000;
    for (let i = 0; i < total; i++) store.add(observation(`o${i}`, i % 3 === 0 ? 'kept' : 'gone', LOINC));
    // Deleting two thirds leaves more holes than records: the table compacts.
    for (let i = 0; i < total; i++) if (i % 3 !== 0) store.remove('Observation', `o${i}`);
    const table = store.table('Observation');
    expect(table?.slotCount).toBeLessThan(total);
    const expected = Array.from({ length: total / 3 }, (_, i) => `o${i * 3}`);
    expect(search(store, 'kept')).toEqual(expected);
    expect(search(store, `${LOINC}|kept`)).toEqual(expected);
    expect(lists(store, LOINC, 'kept').byCode).toEqual(expected.map((id) => table?.slotOf(id)));
  });
});
