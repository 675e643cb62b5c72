import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../src/fhir/store/idIndex.js';
import { seededRandom } from '../../src/lib/random.js';

/** An id column as a table keeps it, with the index reading ids from it. */
function indexedColumn(): { ids: Array<string | undefined>; index: IdIndex } {
  const ids: Array<string | undefined> = [];
  return { ids, index: new IdIndex((slot) => ids[slot]) };
}

describe('IdIndex', () => {
  it('answers as a Map does through adds, deletes and growth, whatever runs of collisions deletes break', () => {
    const random = seededRandom(15);
    const { ids, index } = indexedColumn();
    const model = new Map<string, number>();
    // Few distinct ids, so the same ones are added and deleted again and again.
    for (let step = 0; step < 20_000; step++) {
      const id = `obs-${Math.floor(random.next() * 3_000)}`;
      const slot = model.get(id);
      if (slot === undefined) {
        const next = ids.length;
        ids.push(id);
        index.add(id, next);
        model.set(id, next);
      } else if (random.next() < 0.6) {
        expect(index.delete(id)).toBe(true);
        ids[slot] = undefined;
        model.delete(id);
      }
      if (step % 997 === 0) for (const [known, at] of model) expect(index.get(known), known).toBe(at);
      expect(index.size).toBe(model.size);
    }
    for (const [known, at] of model) expect(index.get(known)).toBe(at);
    expect(index.get('obs-none')).toBeUndefined();
    expect(index.delete('obs-none')).toBe(false);
  });

  it('follows a compaction: slots renumbered, ids unchanged', () => {
    const { ids, index } = indexedColumn();
    for (let slot = 0; slot < 500; slot++) {
      ids.push(`pat-${slot}`);
      index.add(`pat-${slot}`, slot);
    }
    for (let slot = 0; slot < 500; slot += 2) {
      index.delete(`pat-${slot}`);
      ids[slot] = undefined;
    }
    const renumbered = new Int32Array(500);
    const kept = ids.filter((id) => id !== undefined);
    for (let slot = 1; slot < 500; slot += 2) renumbered[slot] = (slot - 1) / 2;
    ids.splice(0, ids.length, ...kept);
    index.renumber(renumbered);
    expect(index.size).toBe(250);
    for (let slot = 1; slot < 500; slot += 2) expect(index.get(`pat-${slot}`)).toBe((slot - 1) / 2);
    expect(index.get('pat-0')).toBeUndefined();
  });

  it('tells apart ids that differ only in case, in non-ASCII characters or by a suffix', () => {
    const { ids, index } = indexedColumn();
    const all = ['a', 'A', 'zoë', 'zoe', 'obs-000001-001', 'obs-000001-0011', '', 'x'.repeat(64)];
    all.forEach((id, slot) => {
      ids.push(id);
      index.add(id, slot);
    });
    all.forEach((id, slot) => expect(index.get(id)).toBe(slot));
  });
});
