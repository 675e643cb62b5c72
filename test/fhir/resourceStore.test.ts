import { describe, expect, it } from 'vitest';
import { KeyDictionary } from '../../src/fhir/store/keyDictionary.js';
import type { PostingList } from '../../src/fhir/store/postingList.js';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import { findMatches } from '../../src/fhir/search/matchSearch.js';
import { parseSearch } from '../../src/fhir/search/parseSearch.js';
import type { Resource } from '../../src/fhir/types.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { START, stu3Daniel, stu3Ruth, stu3RuthHeartRate } from './fixtures.js';

function newStore() {
  const clock = new ManualClock(START);
  return { clock, store: new ResourceStore(adapterFor('stu3'), clock) };
}

/** Ids a search finds straight from the store's indexes. */
function find(store: ResourceStore, type: string, params: Array<[string, string]>): string[] {
  const parsed = parseSearch(type, params, adapterFor('stu3').searchParams[type] ?? [], { strict: true });
  if (!parsed.ok) throw parsed.error;
  const table = store.table(type);
  if (table === undefined) return [];
  return findMatches(table, parsed.query.filters).map((slot) => table.recordAt(slot)?.id as string);
}

describe('ResourceStore', () => {
  it('stores the JSON text with resourceType, id and meta first, version 1 stamped now', () => {
    const { store } = newStore();
    const record = store.add(stu3Ruth);
    expect(record.versionId).toBe(1);
    expect(record.text().startsWith('{"resourceType":"Patient","id":"ruth","meta":{"versionId":"1","lastUpdated":"2026-01-01T12:00:00.000Z"},')).toBe(true);
    expect(record.resource()).toEqual({ ...stu3Ruth, meta: { versionId: '1', lastUpdated: '2026-01-01T12:00:00.000Z' } });
    expect(stu3Ruth.meta).toBeUndefined();
  });

  it('keeps a complete meta from a previous save as given when bulk loading', () => {
    const { store } = newStore();
    const record = store.add({ ...stu3Daniel, meta: { versionId: '7', lastUpdated: '2020-02-02T00:00:00Z', tag: [{ code: 'x' }] } });
    expect(record.versionId).toBe(7);
    expect(record.lastUpdated).toBe(Date.UTC(2020, 1, 2));
    expect(record.resource().meta).toEqual({ versionId: '7', lastUpdated: '2020-02-02T00:00:00Z', tag: [{ code: 'x' }] });
  });

  it('stamps a bulk-loaded resource whose meta is incomplete, keeping its other meta', () => {
    const { store } = newStore();
    const record = store.add({ ...stu3Daniel, meta: { versionId: 'draft', tag: [{ code: 'x' }] } });
    expect(record.versionId).toBe(1);
    expect(record.resource().meta).toEqual({ versionId: '1', lastUpdated: '2026-01-01T12:00:00.000Z', tag: [{ code: 'x' }] });
  });

  it('reads each bulk-loaded version on its own while versionId texts alternate', () => {
    const { store } = newStore();
    const complete = (id: string, versionId: string): Resource => ({ ...stu3Daniel, id, meta: { versionId, lastUpdated: '2020-02-02T00:00:00Z' } });
    const versions = [complete('a', '3'), complete('b', '3'), complete('c', 'draft'), complete('d', '3'), complete('e', '12'), complete('f', 'draft')].map(
      (resource) => store.add(resource).versionId,
    );
    expect(versions).toEqual([3, 3, 1, 3, 12, 1]);
  });

  it('upsert bumps the version and re-indexes; remove leaves a tombstone that continues the version', () => {
    const { store, clock } = newStore();
    store.add(stu3Ruth);
    clock.advance(5000);
    const updated = store.upsert({ ...stu3Ruth, name: [{ family: 'White', given: ['Ruth'] }] });
    expect(updated.versionId).toBe(2);
    expect(updated.slot).toBe(0);
    expect(find(store, 'Patient', [['family', 'black']])).toEqual([]);
    expect(find(store, 'Patient', [['family', 'white']])).toEqual(['ruth']);
    expect(store.remove('Patient', 'ruth')).toBe(true);
    expect(store.remove('Patient', 'ruth')).toBe(false);
    expect(store.read('Patient', 'ruth')).toEqual({ status: 'deleted', tombstone: { versionId: 3, deletedAt: START + 5000 } });
    expect(find(store, 'Patient', [['family', 'white']])).toEqual([]);
    expect(find(store, 'Patient', [['gender', 'female']])).toEqual([]);
    const recreated = store.upsert(stu3Ruth);
    expect(recreated.versionId).toBe(4);
    expect(store.read('Patient', 'ruth').status).toBe('found');
    expect(find(store, 'Patient', [['family', 'black']])).toEqual(['ruth']);
  });

  it('keeps served bytes unchanged when the record is replaced afterwards', () => {
    const { store } = newStore();
    const first = store.add(stu3Ruth);
    const served = first.json;
    const before = served.toString();
    store.upsert({ ...stu3Ruth, name: [{ family: 'Zoë-Whiteley', given: ['Ruth'] }] });
    expect(served.toString()).toBe(before);
    const read = store.read('Patient', 'ruth');
    expect(read.status === 'found' && read.record.resource().name).toEqual([{ family: 'Zoë-Whiteley', given: ['Ruth'] }]);
    expect(read.status === 'found' && read.record.json.length).toBe(read.status === 'found' ? Buffer.byteLength(read.record.text()) : -1);
  });

  it('keeps posting lists sorted when a deleted id comes back, so results stay in insertion order', () => {
    const { store } = newStore();
    store.add(stu3Ruth);
    store.add({ ...stu3Ruth, id: 'ruth-2' });
    store.remove('Patient', 'ruth');
    store.upsert(stu3Ruth);
    expect(find(store, 'Patient', [['family', 'black']])).toEqual(['ruth-2', 'ruth']);
  });

  it('list, count and types serve the raw-record editor', () => {
    const { store } = newStore();
    store.add(stu3Ruth);
    store.add(stu3Daniel);
    store.add(stu3RuthHeartRate);
    expect(store.count('Patient')).toBe(2);
    expect(store.count('Encounter')).toBe(0);
    expect(store.list('Patient').map((resource) => resource.id)).toEqual(['ruth', 'daniel']);
    expect(store.list('Nothing')).toEqual([]);
    expect(store.types().sort()).toEqual(['Observation', 'Patient']);
  });

  it('assigns deterministic ids that were never used, and refuses resources without a type', () => {
    const { store } = newStore();
    store.add({ resourceType: 'Patient', id: 's1' });
    const created = store.upsert({ resourceType: 'Patient' });
    expect(created.id).toBe('s2');
    expect(() => store.add({ resourceType: '' } as Resource)).toThrow(TypeError);
  });

  it('stores types the version does not search (only _id works on them)', () => {
    const { store } = newStore();
    store.add({ resourceType: 'Organization', id: 'org', name: 'Hospital' });
    expect(store.read('Organization', 'org').status).toBe('found');
  });
});

describe('KeyDictionary', () => {
  const postings = new Map<string, PostingList>(['black', 'blackwood', 'chau', 'oblak', 'adams'].map((key, i) => [key, { key, slots: [i] }]));
  const dictionary = new KeyDictionary(postings);
  const keys = (values: string[], mode: 'contains' | 'starts-with') => dictionary.matching(values, mode).map((list) => list.key);

  it('finds keys by substring and by prefix, each key once, in key order', () => {
    expect(keys(['lak'], 'contains')).toEqual(['oblak']);
    expect(keys(['bla'], 'contains')).toEqual(['black', 'blackwood', 'oblak']);
    expect(keys(['bla'], 'starts-with')).toEqual(['black', 'blackwood']);
    expect(keys(['a'], 'contains')).toEqual(['black', 'blackwood', 'chau', 'oblak', 'adams']);
    expect(keys(['chau', 'ada'], 'starts-with')).toEqual(['chau', 'adams']);
    expect(keys(['kw'], 'contains')).toEqual(['blackwood']);
    expect(keys(['zzz'], 'contains')).toEqual([]);
    expect(keys(['k\u0000c'], 'contains')).toEqual([]);
  });

  it('is rebuilt after a key appears or disappears', () => {
    const { store } = newStore();
    store.add(stu3Ruth);
    expect(find(store, 'Patient', [['family:contains', 'lac']])).toEqual(['ruth']);
    store.add({ ...stu3Daniel, name: [{ family: 'Lacey' }] });
    expect(find(store, 'Patient', [['family:contains', 'lac']])).toEqual(['ruth', 'daniel']);
    store.remove('Patient', 'ruth');
    expect(find(store, 'Patient', [['family:contains', 'lac']])).toEqual(['daniel']);
  });
});

describe('date columns', () => {
  it('keep each date parameter apart when a type has several', () => {
    const { store } = newStore();
    store.add({ resourceType: 'Condition', id: 'both', subject: { reference: 'Patient/p' }, assertedDate: '2020-01-01', onsetPeriod: { start: '2010-05-01' } });
    store.add({ resourceType: 'Condition', id: 'onset-only', subject: { reference: 'Patient/p' }, onsetDateTime: '2011-01-01' });
    store.add({ resourceType: 'Condition', id: 'none', subject: { reference: 'Patient/p' } });
    expect(find(store, 'Condition', [['asserted-date', '2020']])).toEqual(['both']);
    expect(find(store, 'Condition', [['onset-date', '2011']])).toEqual(['onset-only']);
    // An onset period with no end reaches past 2011, so `ge` finds it too.
    expect(find(store, 'Condition', [['onset-date', 'ge2011']])).toEqual(['both', 'onset-only']);
    expect(find(store, 'Condition', [['onset-date', 'lt2010-06']])).toEqual(['both']);
    expect(find(store, 'Condition', [['asserted-date:missing', 'true']])).toEqual(['onset-only', 'none']);
  });
});
