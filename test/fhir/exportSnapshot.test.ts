import { describe, expect, it } from 'vitest';
import { ExportJobs } from '../../src/fhir/export/exportJobs.js';
import type { ExportJob } from '../../src/fhir/export/exportJob.js';
import { parseKickoff, type ExportLevel } from '../../src/fhir/export/exportKickoff.js';
import { ResourceStore } from '../../src/fhir/store/resourceStore.js';
import type { Resource } from '../../src/fhir/types.js';
import { adapterFor } from '../../src/fhir/versions/index.js';
import { ManualClock } from '../../src/lib/clock.js';

const adapter = adapterFor('stu3');
const owner = { tenantId: 't', clientId: 'c' };

function patient(id: string): Resource {
  return { resourceType: 'Patient', id, active: true };
}

function observation(id: string, patientId: string, value = 1): Resource {
  return { resourceType: 'Observation', id, status: 'final', code: { text: 'pulse' }, subject: { reference: `Patient/${patientId}` }, valueQuantity: { value } };
}

/** A store of three patients (a, b, c) with two Observations each, and a Group of a and b. */
function smallStore(clock: ManualClock): ResourceStore {
  const store = new ResourceStore(adapter, clock);
  for (const id of ['a', 'b', 'c']) {
    store.upsert(patient(id));
    store.upsert(observation(`${id}-1`, id));
    store.upsert(observation(`${id}-2`, id));
  }
  store.upsert({ resourceType: 'Group', id: 'ab', type: 'person', actual: true, member: [{ entity: { reference: 'Patient/a' } }, { entity: { reference: 'Patient/b' } }] });
  return store;
}

/** Starts an export that waits at its first slice, so the test can write before it reads anything. */
function heldExport(store: ResourceStore, clock: ManualClock, level: ExportLevel, recordsPerSlice = 10_000) {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const jobs = new ExportJobs(clock, { recordsPerSlice, yieldToLoop: () => gate });
  const job = jobs.start(parseKickoff({ level, params: [['_type', 'Patient,Observation']], prefer: 'respond-async', requestUrl: 'x' }, adapter, () => true), { adapter, store }, owner);
  return { job, release };
}

async function finished(job: ExportJob): Promise<Record<string, string[]>> {
  while (job.state === 'in-progress') await new Promise((resolve) => setImmediate(resolve));
  const exported: Record<string, string[]> = {};
  for (const file of job.output) {
    for (const line of file.lines) {
      const resource = JSON.parse(line.json.toString()) as { id: string; meta: { versionId: string }; subject?: { reference: string } };
      const subject = resource.subject === undefined ? '' : ` → ${resource.subject.reference}`;
      (exported[file.type] ??= []).push(`${resource.id} v${resource.meta.versionId}${subject}`);
    }
  }
  for (const list of Object.values(exported)) list.sort();
  return exported;
}

/** The writes every test makes after kick-off: an update that moves c-1 to a, a delete, a move away from a, a new record, a deleted patient. */
function writeDuringExport(store: ResourceStore): void {
  store.upsert(observation('c-1', 'a', 2));
  store.remove('Observation', 'b-2');
  store.upsert(observation('a-2', 'c', 3));
  store.upsert(observation('a-3', 'a'));
  store.remove('Patient', 'b');
}

describe('an export is the store as it stood at kick-off', () => {
  it('system level: versions of kick-off, deleted records included, new ones left out', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15));
    const store = smallStore(clock);
    const { job, release } = heldExport(store, clock, { kind: 'system' });
    writeDuringExport(store);
    release();
    expect(await finished(job)).toEqual({
      Patient: ['a v1', 'b v1', 'c v1'],
      Observation: ['a-1 v1 → Patient/a', 'a-2 v1 → Patient/a', 'b-1 v1 → Patient/b', 'b-2 v1 → Patient/b', 'c-1 v1 → Patient/c', 'c-2 v1 → Patient/c'],
    });
  });

  it("patient level: each patient's resources as of kick-off, whoever they name now", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15));
    const store = smallStore(clock);
    const { job, release } = heldExport(store, clock, { kind: 'patient' }, 1);
    writeDuringExport(store);
    release();
    expect(await finished(job)).toEqual({
      Patient: ['a v1', 'b v1', 'c v1'],
      Observation: ['a-1 v1 → Patient/a', 'a-2 v1 → Patient/a', 'b-1 v1 → Patient/b', 'b-2 v1 → Patient/b', 'c-1 v1 → Patient/c', 'c-2 v1 → Patient/c'],
    });
  });

  it("group level: the members' resources as of kick-off; one moved to a member since is not in, one moved away is", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15));
    const store = smallStore(clock);
    const { job, release } = heldExport(store, clock, { kind: 'group', groupId: 'ab' }, 1);
    writeDuringExport(store);
    release();
    expect(await finished(job)).toEqual({
      Patient: ['a v1', 'b v1'],
      Observation: ['a-1 v1 → Patient/a', 'a-2 v1 → Patient/a', 'b-1 v1 → Patient/b', 'b-2 v1 → Patient/b'],
    });
  });

  it('a table does not compact under an open export, and does once it is closed', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15));
    const store = new ResourceStore(adapter, clock);
    for (let i = 0; i < 3_000; i++) store.upsert(patient(`p${i}`));
    const { job, release } = heldExport(store, clock, { kind: 'system' });
    for (let i = 0; i < 2_500; i++) store.remove('Patient', `p${i}`);
    const table = store.table('Patient');
    expect(table?.slotCount).toBe(3_000);
    release();
    expect((await finished(job))['Patient']).toHaveLength(3_000);
    store.remove('Patient', 'p2500');
    expect(table?.slotCount).toBe(499);
    expect(Array.from({ length: table?.slotCount ?? 0 }, (_, slot) => table?.recordAt(slot)?.id)).toEqual(Array.from({ length: 499 }, (_, i) => `p${2_501 + i}`));
  });
});
