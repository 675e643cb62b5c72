import { describe, expect, it } from 'vitest';
import { generateTenantDataset } from '../../src/data/generateTenantResources.js';
import type { PreparedBatch } from '../../src/fhir/store/preparedBatch.js';
import { RecordPreparer } from '../../src/fhir/store/recordPreparer.js';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import { storeContentDigest } from '../../src/fhir/store/storeContentDigest.js';
import { findMatches } from '../../src/fhir/search/matchSearch.js';
import { parseSearch } from '../../src/fhir/search/parseSearch.js';
import type { FhirVersion, Resource } from '../../src/fhir/types.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { START, stu3Daniel, stu3Ruth } from './fixtures.js';

function newStore(version: FhirVersion): ResourceStore {
  return new ResourceStore(adapterFor(version), new ManualClock(START));
}

function dataset(version: FhirVersion, patients: number): Resource[][] {
  return [...generateTenantDataset({ seed: 11, tenantId: `prepared-${version}`, providerName: 'Prepared General', fhirVersion: version, patientCount: patients })];
}

/** The batches a worker would post for these resources, the last one included. */
function prepare(version: FhirVersion, batches: readonly Resource[][]): PreparedBatch[] {
  const preparer = new RecordPreparer(adapterFor(version));
  const prepared: PreparedBatch[] = [];
  for (const resources of batches) {
    for (const resource of resources) preparer.add(resource);
    if (resources[0]?.resourceType === 'Patient') preparer.patientDone();
    prepared.push(...preparer.take());
  }
  prepared.push(...preparer.finish());
  return prepared;
}

function storedByAdd(version: FhirVersion, batches: readonly Resource[][]): ResourceStore {
  const store = newStore(version);
  for (const resources of batches) for (const resource of resources) store.add(resource);
  store.freeze();
  return store;
}

function storedPrepared(version: FhirVersion, prepared: readonly PreparedBatch[]): ResourceStore {
  const store = newStore(version);
  for (const batch of prepared) store.addPrepared(batch);
  store.freeze();
  return store;
}

/** Ids a search finds straight from the store's indexes. */
function find(store: ResourceStore, version: FhirVersion, type: string, params: Array<[string, string]>): string[] {
  const parsed = parseSearch(type, params, adapterFor(version).searchParams[type] ?? [], { strict: true });
  if (!parsed.ok) throw parsed.error;
  const table = store.table(type);
  if (table === undefined) return [];
  return findMatches(table, parsed.query.filters).map((slot) => table.recordAt(slot)?.id as string);
}

describe('records prepared off the main thread (RecordPreparer → ResourceStore.addPrepared)', () => {
  for (const version of ['dstu2', 'stu3', 'r4'] as const) {
    it(`store a ${version} tenant exactly as add() does, across several chunks`, () => {
      const batches = dataset(version, 90);
      const prepared = prepare(version, batches);
      // 90 patients fill more than the first (1 MB) chunk: records are stored from more than one.
      expect(prepared.length).toBeGreaterThanOrEqual(2);
      expect(prepared.reduce((sum, batch) => sum + batch.patients, 0)).toBe(90);
      const byAdd = storedByAdd(version, batches);
      const byPrepared = storedPrepared(version, prepared);
      expect(storeContentDigest(byPrepared)).toBe(storeContentDigest(byAdd));
      for (const type of byAdd.types()) {
        const table = byAdd.table(type);
        table?.params.forEach((_, param) => expect(byPrepared.table(type)?.isSingleValued(param), `${type} ${param}`).toBe(table.isSingleValued(param)));
      }
    });
  }

  it('answer reads and searches as the store filled by add() does', () => {
    const batches = dataset('stu3', 60);
    const byAdd = storedByAdd('stu3', batches);
    const byPrepared = storedPrepared('stu3', prepare('stu3', batches));
    for (const [type, id] of [['Patient', 'pat-000001'], ['Patient', 'pat-000060'], ['Observation', 'obs-000031-002'], ['Group', 'missing']] as const) {
      const expected = byAdd.read(type, id);
      const actual = byPrepared.read(type, id);
      expect(actual.status).toBe(expected.status);
      if (expected.status === 'found' && actual.status === 'found') expect(actual.record.text()).toBe(expected.record.text());
    }
    const queries: Array<[string, Array<[string, string]>]> = [
      ['Patient', [['name', 'a']]],
      ['Patient', [['gender', 'female'], ['birthdate', 'ge1970']]],
      ['Observation', [['subject', 'Patient/pat-000007'], ['code', 'http://loinc.org|8867-4']]],
      ['Observation', [['date', 'ge2025-01-01']]],
      ['Condition', [['patient', 'pat-000012']]],
    ];
    for (const [type, params] of queries) {
      const expected = find(byAdd, 'stu3', type, params);
      expect(find(byPrepared, 'stu3', type, params), `${type} ${JSON.stringify(params)}`).toEqual(expected);
    }
    expect(find(byAdd, 'stu3', 'Observation', [['subject', 'Patient/pat-000007']]).length).toBeGreaterThan(0);
  });

  it('complete an incomplete resource and replace a repeated id as add() does', () => {
    const resources: Resource[] = [
      { ...stu3Ruth, meta: { versionId: '1', lastUpdated: '2025-05-05T00:00:00Z' } },
      stu3Daniel,
      { ...stu3Ruth, meta: { versionId: '2', lastUpdated: '2025-06-06T00:00:00Z' }, gender: 'other' },
    ];
    const byAdd = storedByAdd('stu3', [resources]);
    const byPrepared = storedPrepared('stu3', prepare('stu3', [resources]));
    expect(storeContentDigest(byPrepared)).toBe(storeContentDigest(byAdd));
    expect(find(byPrepared, 'stu3', 'Patient', [['gender', 'other']])).toEqual([stu3Ruth.id]);
    expect(find(byPrepared, 'stu3', 'Patient', [['gender', stu3Ruth['gender'] as string]])).toEqual([]);
  });
});
