import { describe, expect, it } from 'vitest';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import { findMatches } from '../../src/fhir/search/matchSearch.js';
import { searchPage } from '../../src/fhir/search/searchPage.js';
import { parseSearch } from '../../src/fhir/search/parseSearch.js';
import type { Resource } from '../../src/fhir/types.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { START } from './fixtures.js';

const adapter = adapterFor('stu3');

function patient(id: string, family: string): Resource {
  return { resourceType: 'Patient', id, name: [{ family, given: ['Churn'] }], gender: 'female', identifier: [{ system: 'urn:churn', value: id }] };
}

function observation(patientId: string): Resource {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://hl7.org/fhir/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: '2025-01-01T00:00:00Z',
  };
}

/** Ids of a search's first page (up to 500), in result order; with filters, every match straight from the indexes. */
function search(store: ResourceStore, type: string, params: Array<[string, string]>): string[] {
  const parsed = parseSearch(type, [...params, ['_count', '500']], adapter.searchParams[type] ?? [], { strict: true });
  if (!parsed.ok) throw parsed.error;
  const table = store.table(type);
  if (table === undefined) return [];
  const slots = params.length === 0 ? searchPage(table, parsed.query).slots : findMatches(table, parsed.query.filters);
  return slots.map((slot) => table.recordAt(slot)?.id as string);
}

/** Everything a table keeps that could grow with the number of writes rather than with its records. */
function footprint(store: ResourceStore, type: string) {
  const table = store.table(type);
  if (table === undefined) throw new Error(`no ${type} table`);
  let postingEntries = 0;
  for (const postings of new Set(table.params.map((_, param) => table.postingIndex(param)))) for (const list of postings?.lists() ?? []) postingEntries += list.length;
  return { slots: table.slotCount, records: table.size, tombstones: table.tombstones.size, postingEntries };
}

describe('store memory under create/update/delete churn', () => {
  it('keeps slots, tombstones and index entries bounded by the live records, not by the writes', () => {
    const store = new ResourceStore(adapter, new ManualClock(START), { tombstones: 500 });
    const kept = ['keep-1', 'keep-2', 'keep-3'].map((id) => store.upsert(patient(id, 'Steady')).id);
    for (let cycle = 0; cycle < 6_000; cycle++) {
      const id = store.newId('Patient');
      store.upsert(patient(id, `Churn${cycle % 50}`));
      store.upsert(patient(id, `Moved${cycle % 50}`));
      const note = store.upsert(observation(id));
      store.remove('Observation', note.id);
      store.remove('Patient', id);
    }
    const patients = footprint(store, 'Patient');
    expect(patients.records).toBe(3);
    // Empty slots are reclaimed once they outnumber records (and reach the compaction minimum).
    expect(patients.slots).toBeLessThanOrEqual(3 + 1_024);
    expect(patients.tombstones).toBe(500);
    expect(patients.postingEntries).toBeLessThanOrEqual(3 * adapter.searchParams.Patient!.length);
    const observations = footprint(store, 'Observation');
    expect(observations).toMatchObject({ records: 0, tombstones: 500, postingEntries: 0 });
    expect(observations.slots).toBeLessThanOrEqual(1_024);
    // Searches still find the survivors, in insertion order, after many compactions.
    expect(search(store, 'Patient', [['family', 'steady']])).toEqual(kept);
    expect(search(store, 'Patient', [])).toEqual(kept);
  });

  it('compacts without changing result order or what any index finds', () => {
    const store = new ResourceStore(adapter, new ManualClock(START));
    const ids = Array.from({ length: 3_000 }, (_, i) => store.upsert(patient(`p${i}`, i % 2 === 0 ? 'Even' : 'Odd')).id);
    for (const id of ids.slice(0, 2_000)) store.remove('Patient', id);
    const table = store.table('Patient');
    // Compacted once holes outnumbered records: fewer slots than writes, each record at its own slot number.
    expect(table?.slotCount).toBeLessThan(1_000 + 1_024);
    expect(Array.from({ length: table?.slotCount ?? 0 }, (_, slot) => table?.recordAt(slot)).every((record, slot) => record === undefined || record.slot === slot)).toBe(true);
    const survivors = ids.slice(2_000);
    expect(search(store, 'Patient', [])).toEqual(survivors.slice(0, 500));
    expect(search(store, 'Patient', [['family', 'even']])).toEqual(survivors.filter((id) => Number(id.slice(1)) % 2 === 0));
    expect(search(store, 'Patient', [['identifier', `urn:churn|${survivors[5]}`]])).toEqual([survivors[5]]);
    // A write after compaction lands after the survivors; a deleted id still answers as deleted.
    store.upsert(patient('late', 'Even'));
    expect(search(store, 'Patient', [['family', 'even']]).at(-1)).toBe('late');
    expect(store.read('Patient', 'p0').status).toBe('deleted');
  });

  it('forgets the oldest tombstones first, and never hands out an id twice', () => {
    const store = new ResourceStore(adapter, new ManualClock(START), { tombstones: 2 });
    const ids = [1, 2, 3].map(() => store.upsert(patient(store.newId('Patient'), 'Gone')).id);
    for (const id of ids) store.remove('Patient', id);
    expect(ids.map((id) => store.read('Patient', id).status)).toEqual(['missing', 'deleted', 'deleted']);
    expect(ids).not.toContain(store.newId('Patient'));
  });
});
