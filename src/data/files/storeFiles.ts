import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResourceStore } from '../../fhir/store/resourceStore.js';
import { writeFileAtomically, writeFileAtomicallySync } from './atomicWrite.js';
import { DbJsonError, dbJsonChunks, parseDataFile, type StoreState } from './dbJson.js';

/** Where a tenant's files live under a data folder: `<dir>/<tenant id>/db.json` and `ndjson/<Type>.ndjson`. */
export function dbJsonPath(dataDir: string, tenantId: string): string {
  return path.join(dataDir, tenantId, 'db.json');
}

/**
 * `<dir>/<tenant id>/ids.json`, `{"idsReservedBelow": n}`: with --persist, server-assigned ids are
 * reserved here (in blocks, synchronously) before they are handed out, so none is reused after a
 * crash that lost the records they were given to.
 */
export function idReservationPath(dataDir: string, tenantId: string): string {
  return path.join(dataDir, tenantId, 'ids.json');
}

export function writeIdReservation(file: string, idsReservedBelow: number): void {
  writeFileAtomicallySync(file, `${JSON.stringify({ idsReservedBelow })}\n`);
}

/** The reserved ceiling, or undefined when the file does not exist. */
export function readIdReservation(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = parseDataFile(file, readFileSync(file, 'utf8'));
  const below = (parsed as { idsReservedBelow?: unknown } | null)?.idsReservedBelow;
  if (typeof below !== 'number' || !Number.isInteger(below) || below < 1) throw new DbJsonError(file, 0, 0, 'must be {"idsReservedBelow": <a positive integer>}');
  return below;
}

export function ndjsonDir(dataDir: string, tenantId: string): string {
  return path.join(dataDir, tenantId, 'ndjson');
}

/** Each stored resource's JSON bytes of one type, in store order, without re-serialising. */
export function* storedJson(store: ResourceStore, type: string): Generator<Buffer> {
  const table = store.table(type);
  if (table === undefined) return;
  for (let slot = 0; slot < table.slotCount; slot++) {
    const record = table.recordAt(slot);
    if (record !== undefined) yield record.json;
  }
}

/** The store as db.json, written atomically, with its id counter and deleted ids when it has any. */
export async function writeDbJson(store: ResourceStore, file: string): Promise<void> {
  const collections = store.types().map((type) => [type, storedJson(store, type)] as const);
  await writeFileAtomically(file, dbJsonChunks(collections, storeState(store)));
}

/** What db.json keeps beside the resources; undefined for a store nothing was ever assigned in or deleted from. */
export function storeState(store: ResourceStore): StoreState | undefined {
  const deleted = [...store.deleted()].map(({ type, id, tombstone }) => ({
    resourceType: type,
    id,
    versionId: String(tombstone.versionId),
    deletedAt: new Date(tombstone.deletedAt).toISOString(),
  }));
  if (store.idCounter === 1 && deleted.length === 0) return undefined;
  return { nextId: store.idCounter, deleted };
}

/** Puts a db.json's `_sandbox` state back into the store it was read into. */
export function restoreStoreState(store: ResourceStore, state: StoreState): void {
  store.advanceIdCounter(state.nextId);
  for (const entry of state.deleted) {
    store.restoreDeleted(entry.resourceType, entry.id, { versionId: Number(entry.versionId), deletedAt: Date.parse(entry.deletedAt) });
  }
}

/** One NDJSON file per resource type (the FHIR Bulk Data format a real server can $import). */
export async function writeNdjson(store: ResourceStore, dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const type of store.types()) {
    const file = path.join(dir, `${type}.ndjson`);
    await writeFileAtomically(file, lines(storedJson(store, type)));
    files.push(file);
  }
  return files;
}

function* lines(jsons: Iterable<Buffer>): Generator<Buffer | string> {
  for (const json of jsons) {
    yield json;
    yield '\n';
  }
}
