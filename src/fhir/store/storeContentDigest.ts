import { createHash } from 'node:crypto';
import type { ResourceStore } from './resourceStore.js';

/**
 * A digest of everything a store holds: each record's served bytes, id, version, lastUpdated and
 * date bounds, and every posting list (by value, and by system then code), in slot and key order.
 * Two ways of filling a store that must end alike (on the main thread, prepared on a worker, in
 * another build) are compared by it.
 */
export function storeContentDigest(store: ResourceStore): string {
  const hash = createHash('sha256');
  for (const type of store.types()) {
    const table = store.table(type);
    if (table === undefined) continue;
    for (let slot = 0; slot < table.slotCount; slot++) {
      const record = table.recordAt(slot);
      if (record === undefined) continue;
      hash.update(`${type} ${slot} ${record.id} ${record.versionId} ${record.lastUpdated} ${record.dates().join(',')}\n`);
      hash.update(record.json);
    }
    table.params.forEach((_, param) => {
      const postings = table.postingIndex(param);
      for (const key of postings?.keys() ?? []) hash.update(`${param} ${key} ${[...(postings?.get(key) ?? [])].join(',')}\n`);
    });
    table.params.forEach((_, param) => {
      const bySystem = table.systemIndex(param);
      for (const system of bySystem?.systems() ?? []) {
        const codes = bySystem?.get(system);
        for (const code of codes?.keys() ?? []) hash.update(`${param} ${system} ${code} ${[...(codes?.get(code) ?? [])].join(',')}\n`);
      }
    });
  }
  return hash.digest('hex').slice(0, 16);
}
