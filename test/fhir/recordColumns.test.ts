import { describe, expect, it } from 'vitest';
import { JsonArena, ownJson } from '../../src/fhir/store/jsonArena.js';
import { RecordColumns } from '../../src/fhir/store/recordColumns.js';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { START } from './fixtures.js';

const text = (id: string) => JSON.stringify({ resourceType: 'Patient', id });

describe('RecordColumns: records as typed-array columns', () => {
  it('keeps every field across the columns’ growth (64, 128, … slots)', () => {
    const columns = new RecordColumns();
    const arena = new JsonArena();
    const total = 1_000;
    for (let slot = 0; slot < total; slot++) columns.set(slot, `p${slot}`, arena.append(text(`p${slot}`), [slot, slot + 0.5]), slot + 1, 1_700_000_000_000 + slot);
    expect(columns.count).toBe(total);
    for (const slot of [0, 63, 64, 65, 127, 128, 511, 512, total - 1]) {
      const record = columns.recordAt(slot);
      expect(record?.slot).toBe(slot);
      expect(record?.id).toBe(`p${slot}`);
      expect(record?.text()).toBe(text(`p${slot}`));
      expect(record?.versionId).toBe(slot + 1);
      expect(record?.lastUpdated).toBe(1_700_000_000_000 + slot);
      expect(record?.dates()).toEqual([slot, slot + 0.5]);
    }
    expect(columns.recordAt(total)).toBeUndefined();
    expect(columns.recordAt(-1)).toBeUndefined();
  });

  it('empties a slot, and a record made before a change keeps its version', () => {
    const columns = new RecordColumns();
    columns.set(0, 'a', ownJson(text('a')), 1, 10);
    columns.set(1, 'b', ownJson(text('b')), 1, 10);
    const before = columns.recordAt(0);
    columns.set(0, 'a', ownJson('{"resourceType":"Patient","id":"a","active":true}'), 2, 20);
    expect(before?.text()).toBe(text('a'));
    expect(before?.versionId).toBe(1);
    expect(columns.recordAt(0)?.versionId).toBe(2);
    columns.clear(1);
    expect(columns.isLive(1)).toBe(false);
    expect(columns.idAt(1)).toBeUndefined();
    // The released buffer's place is reused, and the record in it is the new one.
    columns.set(2, 'c', ownJson(text('c')), 1, 30);
    expect(columns.recordAt(2)?.text()).toBe(text('c'));
    expect(columns.recordAt(0)?.text()).toBe('{"resourceType":"Patient","id":"a","active":true}');
  });

  it('compacts live records to the front in order', () => {
    const columns = new RecordColumns();
    for (let slot = 0; slot < 10; slot++) columns.set(slot, `r${slot}`, ownJson(text(`r${slot}`)), 1, slot);
    for (const slot of [0, 3, 4, 9]) columns.clear(slot);
    const renumbered = columns.compact();
    expect(columns.count).toBe(6);
    expect(Array.from({ length: 6 }, (_, slot) => columns.recordAt(slot)?.id)).toEqual(['r1', 'r2', 'r5', 'r6', 'r7', 'r8']);
    expect(renumbered[5]).toBe(2);
    expect(columns.recordAt(2)?.text()).toBe(text('r5'));
  });
});

describe('a store whose records live in columns', () => {
  it('reads, updates, deletes and recreates by id, with versions and tombstones', () => {
    const clock = new ManualClock(START);
    const store = new ResourceStore(adapterFor('stu3'), clock);
    for (let i = 0; i < 200; i++) store.add({ resourceType: 'Patient', id: `p${i}`, meta: { versionId: '1', lastUpdated: '2026-01-01T00:00:00Z' }, gender: 'male' });
    store.freeze();
    clock.advance(1_000);
    const updated = store.upsert({ resourceType: 'Patient', id: 'p7', gender: 'female' });
    expect(updated.versionId).toBe(2);
    const read = store.read('Patient', 'p7');
    expect(read.status === 'found' ? [read.record.versionId, read.record.lastUpdated, read.record.resource().gender] : read.status).toEqual([2, START + 1_000, 'female']);
    expect(store.remove('Patient', 'p7')).toBe(true);
    expect(store.read('Patient', 'p7')).toEqual({ status: 'deleted', tombstone: { versionId: 3, deletedAt: START + 1_000 } });
    expect(store.upsert({ resourceType: 'Patient', id: 'p7', gender: 'other' }).versionId).toBe(4);
    // Recreated after its delete: a new slot, at the end of insertion order.
    expect(store.list('Patient').map((patient) => patient.id)).toEqual([...Array.from({ length: 200 }, (_, i) => `p${i}`).filter((id) => id !== 'p7'), 'p7']);
    expect(store.first('Patient', 3).map((patient) => patient.id)).toEqual(['p0', 'p1', 'p2']);
    expect(store.count('Patient')).toBe(200);
  });
});
