import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ndjsonChunks } from '../fhir/export/ndjsonChunks.js';
import type { ResourceStore } from '../fhir/store/resourceStore.js';
import type { StoredRecord } from '../fhir/store/storedRecord.js';

/** What writing a store's NDJSON with fs took: the export's yardstick. */
export interface FsBaseline {
  bytes: number;
  resources: number;
  ms: number;
}

/**
 * Writes every stored record as NDJSON, one file per type, with fs write streams (backpressure
 * honoured, no fsync: the page cache, as a download's socket buffers), then deletes the files. These
 * are the bytes a system-level export serves, cut into the same chunks, so the ratio of the two
 * measures what HTTP and the export job add.
 */
export async function writeStoreWithFs(store: ResourceStore): Promise<FsBaseline> {
  const dir = await mkdtemp(path.join(tmpdir(), 'export-baseline-'));
  let bytes = 0;
  let resources = 0;
  const started = performance.now();
  try {
    for (const type of store.types()) {
      const table = store.table(type);
      const records: StoredRecord[] = [];
      for (let slot = 0; slot < (table?.slotCount ?? 0); slot++) {
        const record = table?.recordAt(slot);
        if (record !== undefined) records.push(record);
      }
      const file = createWriteStream(path.join(dir, `${type}.ndjson`));
      for (const chunk of ndjsonChunks(records)) {
        bytes += chunk.length;
        if (!file.write(chunk)) await once(file, 'drain');
      }
      resources += records.length;
      file.end();
      await once(file, 'close');
    }
    return { bytes, resources, ms: performance.now() - started };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
