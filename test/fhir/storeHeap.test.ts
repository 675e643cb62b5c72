import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { generateTenantDataset } from '../../src/data/generateTenantResources.js';
import { addSlot } from '../../src/fhir/store/postingList.js';
import type { PostingList } from '../../src/fhir/store/postingList.js';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import type { Resource } from '../../src/fhir/types.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { START } from './fixtures.js';

/** Node's gc(), obtained at run time: without a forced collection a heap difference is noise. */
function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap bytes still held, per item, by what `build` returns. */
function heapPerItem(items: number, build: () => unknown): number {
  const collect = garbageCollector();
  collect();
  const before = process.memoryUsage().heapUsed;
  const kept = build();
  collect();
  const held = process.memoryUsage().heapUsed - before;
  // Touch what was built after measuring, so it is certainly alive when measured.
  expect(kept).toBeDefined();
  return held / items;
}

/** A minimal dated Observation of patient `patient`, as a db.json would hold it (complete meta: the bulk path). */
function observation(index: number, patient: number): Resource {
  return {
    resourceType: 'Observation',
    id: `o${index}`,
    meta: { versionId: '1', lastUpdated: '2026-01-01T12:00:00.000Z' },
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: `Patient/p${patient}` },
    effectiveDateTime: '2025-03-04T05:06:07Z',
  };
}

describe('store heap per record', () => {
  it('a short posting list holds its slots without spare capacity', () => {
    const lists = 20_000;
    const perList = heapPerItem(lists, () =>
      Array.from({ length: lists }, (_, i) => {
        const list: PostingList = { key: 'Patient/1', slots: [] };
        for (let slot = 0; slot < 6; slot++) addSlot(list, i * 6 + slot);
        return list;
      }),
    );
    // Six small integers: the list object, an array and its six elements take about 120 bytes;
    // with 16 spare elements reserved at each growth it was over 250.
    expect(perList).toBeLessThan(170);
  });

  it('a generated patient holds under 11.7 KB of heap in the store', () => {
    const patients = 1_000;
    // Generate once first, so that what the generator loads and compiles is not counted.
    for (const batch of generateTenantDataset({ seed: 3, tenantId: 'warm', providerName: 'Heap General', fhirVersion: 'stu3', patientCount: 50 })) expect(batch.length).toBeGreaterThan(0);
    const store = new ResourceStore(adapterFor('stu3'), new ManualClock(START));
    const perPatient = heapPerItem(patients, () => {
      const dataset = generateTenantDataset({ seed: 3, tenantId: 'heap', providerName: 'Heap General', fhirVersion: 'stu3', patientCount: patients });
      for (const batch of dataset) for (const resource of batch) store.add(resource);
      return store;
    });
    // About 36 records each (two thirds Observations): their records, ids and index entries. One list
    // for a code and its system's index (PostingList.system) brought it from about 12.1 KB to 11.3 KB here.
    expect(perPatient).toBeLessThan(11.7 * 1024);
  });

  it('a bulk-loaded dated record costs no array of its own on the heap', () => {
    const records = 20_000;
    const store = new ResourceStore(adapterFor('stu3'), new ManualClock(START));
    const perRecord = heapPerItem(records, () => {
      for (let i = 0; i < records; i++) store.add(observation(i, i >> 3));
      return store;
    });
    // The record, its id, its map entry and slot, and its share of posting lists (patient keys of
    // eight records each): about 240 bytes; with a date array per record and spread-grown lists it was over 320.
    expect(perRecord).toBeLessThan(280);
    const table = store.table('Observation');
    const dateParam = adapterFor('stu3').searchParams.Observation?.findIndex((param) => param.name === 'date') ?? -1;
    const record = table?.recordOf('o7');
    expect(record === undefined || table === undefined ? undefined : table.valuesOf(record, dateParam)).toEqual([
      Date.UTC(2025, 2, 4, 5, 6, 7),
      Date.UTC(2025, 2, 4, 5, 6, 8),
    ]);
  });
});

describe('store heap per id', () => {
  it('finds a record by id without a heap entry per id beyond the id itself', () => {
    const records = 30_000;
    const store = new ResourceStore(adapterFor('stu3'), new ManualClock(START));
    const ids = Array.from({ length: records }, (_, i) => `o${i}`);
    const perRecord = heapPerItem(records, () => {
      for (let i = 0; i < records; i++) store.add({ ...observation(i, i % 50), id: ids[i] as string });
      return store;
    });
    expect(store.read('Observation', 'o29999').status).toBe('found');
    // The ids (made before measuring) are kept by the id column, 8 bytes a slot. A Map by id
    // added about 40 bytes per record (its entries and buckets, with room to grow) on the heap.
    expect(perRecord).toBeLessThan(24);
  });
});
