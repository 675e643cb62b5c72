import { describe, expect, it } from 'vitest';
import { Postings } from '../../src/fhir/store/postings.js';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import { findMatches } from '../../src/fhir/search/matchSearch.js';
import { parseSearch } from '../../src/fhir/search/parseSearch.js';
import type { Resource } from '../../src/fhir/types.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { START } from './fixtures.js';

const slotsOf = (postings: Postings, key: string): number[] | undefined => {
  const list = postings.get(key);
  return list === undefined ? undefined : [...list];
};

describe('Postings: typed-array posting lists', () => {
  it('keeps bulk appends across the pending arrays’ growth (1,024, 2,048, …) in key order and slot order', () => {
    const postings = new Postings();
    const total = 5_000;
    for (let slot = 0; slot < total; slot++) {
      postings.append(`k${slot % 7}`, slot);
      // A record naming one key twice is indexed once.
      if (slot % 11 === 0) postings.append(`k${slot % 7}`, slot);
    }
    expect([...postings.keys()]).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    for (let key = 0; key < 7; key++) {
      expect(slotsOf(postings, `k${key}`)).toEqual(Array.from({ length: total }, (_, slot) => slot).filter((slot) => slot % 7 === key));
    }
    expect(postings.get('k0')).toBe(postings.get('k0'));
  });

  it('takes edits after a freeze, then folds them back with later bulk appends', () => {
    const postings = new Postings();
    for (let slot = 0; slot < 10; slot++) postings.append(slot % 2 === 0 ? 'even' : 'odd', slot);
    postings.freeze();
    postings.insert('odd', 4);
    expect(postings.remove('even', 8)).toBe(false);
    postings.insert('new', 3);
    expect(slotsOf(postings, 'odd')).toEqual([1, 3, 4, 5, 7, 9]);
    expect(slotsOf(postings, 'even')).toEqual([0, 2, 4, 6]);
    postings.append('even', 10);
    postings.append('newer', 11);
    expect(slotsOf(postings, 'even')).toEqual([0, 2, 4, 6, 10]);
    expect(slotsOf(postings, 'odd')).toEqual([1, 3, 4, 5, 7, 9]);
    expect(slotsOf(postings, 'new')).toEqual([3]);
    expect(slotsOf(postings, 'newer')).toEqual([11]);
    expect([...postings.keys()]).toEqual(['even', 'odd', 'new', 'newer']);
  });

  it('forgets a key with its last slot, and a key that comes back starts a new list', () => {
    const postings = new Postings();
    postings.append('a', 0);
    postings.append('b', 1);
    expect(postings.remove('a', 0)).toBe(true);
    expect(postings.get('a')).toBeUndefined();
    expect(postings.size).toBe(1);
    postings.append('a', 2);
    expect(slotsOf(postings, 'a')).toEqual([2]);
    expect([...postings.keys()]).toEqual(['b', 'a']);
    expect(postings.matching(['a'], 'starts-with').map((list) => [...list.slots])).toEqual([[2]]);
  });

  it('renumbers frozen and edited lists alike', () => {
    const postings = new Postings();
    for (let slot = 0; slot < 6; slot++) postings.append('all', slot);
    postings.freeze();
    postings.insert('edited', 5);
    const renumbered = Int32Array.from([0, 0, 1, 0, 2, 3]);
    postings.remove('all', 1);
    postings.remove('all', 3);
    postings.renumber(renumbered);
    expect(slotsOf(postings, 'all')).toEqual([0, 1, 2, 3]);
    expect(slotsOf(postings, 'edited')).toEqual([3]);
  });
});

describe('a bulk-loaded store after its freeze', () => {
  const adapter = adapterFor('stu3');
  const patient = (id: string, family: string, gender: string): Resource => ({
    resourceType: 'Patient',
    id,
    meta: { versionId: '1', lastUpdated: '2026-01-01T00:00:00Z' },
    name: [{ family }],
    gender,
  });
  const search = (store: ResourceStore, params: Array<[string, string]>): string[] => {
    const parsed = parseSearch('Patient', params, adapter.searchParams['Patient'] ?? [], { strict: true });
    if (!parsed.ok) throw parsed.error;
    const table = store.table('Patient');
    return table === undefined ? [] : findMatches(table, parsed.query.filters).map((slot) => table.recordAt(slot)?.id as string);
  };

  it('answers creates, updates and deletes made after seeding, and bulk loads after those', () => {
    const store = new ResourceStore(adapter, new ManualClock(START));
    for (let i = 0; i < 3_000; i++) store.add(patient(`p${i}`, i % 2 === 0 ? 'Even' : 'Odd', i % 3 === 0 ? 'female' : 'male'));
    store.freeze();
    expect(search(store, [['family', 'even']])).toHaveLength(1_500);
    store.upsert({ resourceType: 'Patient', id: 'p1', name: [{ family: 'Even' }], gender: 'female' });
    store.remove('Patient', 'p2');
    const created = store.upsert({ resourceType: 'Patient', name: [{ family: 'Fresh' }], gender: 'other' }).id;
    expect(search(store, [['family', 'even']])).toHaveLength(1_500);
    expect(search(store, [['family', 'even']]).slice(0, 3)).toEqual(['p0', 'p1', 'p4']);
    expect(search(store, [['family', 'fresh']])).toEqual([created]);
    expect(search(store, [['gender', 'other']])).toEqual([created]);
    expect(search(store, [['family', 'even'], ['gender', 'female']]).slice(0, 3)).toEqual(['p0', 'p1', 'p6']);
    store.add(patient('late', 'Even', 'other'));
    expect(search(store, [['gender', 'other']])).toEqual([created, 'late']);
    expect(search(store, [['family', 'even']])).toHaveLength(1_501);
    expect(search(store, [['family:contains', 'res']])).toEqual([created]);
  });
});
