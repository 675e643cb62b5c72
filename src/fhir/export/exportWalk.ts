import type { StoredRecord } from '../store/storedRecord.js';
import type { TableSnapshot } from '../store/tableSnapshot.js';
import type { TypeTable } from '../store/typeTable.js';
import type { ResourceStore } from '../store/resourceStore.js';
import type { ExportSnapshot } from './exportSnapshot.js';

/** Where a walk puts what it finds, and how it reports how far it got. */
export interface ExportSink {
  add(type: string, record: StoredRecord): void;
  progress(done: number, total: number, label: string): void;
}

export interface WalkOptions {
  /** Only records last updated after this (epoch ms); undefined for all. */
  since: number | undefined;
  /** About this many records are looked at between two calls of `pace`. */
  recordsPerSlice: number;
  /** Called between slices: lets other work run; false stops the walk (the export was cancelled). */
  pace: () => Promise<boolean>;
}

/** The search parameter that ties a resource to its patient (see patientCompartmentTypes). */
const PATIENT_PARAM = 'patient';

/** A system export: every table, slot by slot. False when it was stopped. */
export async function walkTables(snapshot: ExportSnapshot, sink: ExportSink, options: WalkOptions): Promise<boolean> {
  const total = [...snapshot.tables.values()].reduce((sum, table) => sum + table.limit, 0);
  let done = 0;
  for (const [type, table] of snapshot.tables) {
    for (let start = 0; start < table.limit; start += options.recordsPerSlice) {
      if (!(await options.pace())) return false;
      const end = Math.min(table.limit, start + options.recordsPerSlice);
      for (let slot = start; slot < end; slot++) {
        const record = table.recordAt(slot);
        if (record !== undefined && changedAfter(record, options.since)) sink.add(type, record);
      }
      done += end - start;
      sink.progress(done, total, type);
    }
  }
  return true;
}

/**
 * A Patient or Group export: patient by patient (every patient, or the Group's members), the
 * patient and then the resources that name it, found through each table's `patient` index. A
 * resource changed since kick-off is judged afterwards by its version of then, whose patient may
 * differ from the one the index names now. False when it was stopped.
 */
export async function walkPatients(snapshot: ExportSnapshot, store: ResourceStore, sink: ExportSink, options: WalkOptions): Promise<boolean> {
  const patients = snapshot.patients;
  if (patients === undefined) return true;
  const exportsPatients = snapshot.tables.has('Patient');
  const compartment = [...snapshot.tables]
    .filter(([type]) => type !== 'Patient')
    .map(([type, table]) => compartmentTable(store, type, table))
    .filter((table) => table !== undefined);
  const walked = new Set<string>();
  const total = snapshot.memberSlots?.length ?? patients.limit;
  let work = 0;
  for (let index = 0; index < total; index++) {
    if (work >= options.recordsPerSlice || index === 0) {
      if (!(await options.pace())) return false;
      sink.progress(index, total, 'Patient');
      work = 0;
    }
    const patient = patients.recordAt(snapshot.memberSlots?.[index] ?? index);
    work++;
    if (patient === undefined) continue;
    walked.add(patient.id);
    if (exportsPatients && changedAfter(patient, options.since)) sink.add('Patient', patient);
    const key = `Patient/${patient.id}`;
    for (const table of compartment) work += table.addCurrent(key, sink, options.since);
  }
  for (const table of compartment) table.addChanged(walked, sink, options.since);
  sink.progress(total, total, 'Patient');
  return true;
}

function changedAfter(record: StoredRecord, since: number | undefined): boolean {
  return since === undefined || record.lastUpdated > since;
}

/**
 * One compartment type's part of a patient walk: each record once, unchanged ones found by the
 * index, changed ones by their old version. Undefined for a type without a `patient` parameter.
 */
function compartmentTable(store: ResourceStore, type: string, snapshot: TableSnapshot) {
  const table = store.table(type) as TypeTable;
  const paramIndex = table.params.findIndex((param) => param.name === PATIENT_PARAM);
  if (paramIndex < 0) return undefined;
  const postings = table.postingIndex(paramIndex);
  const added = new Uint8Array(snapshot.limit);
  return {
    /** The patient's records that are as they were at kick-off; how many slots were looked at. */
    addCurrent(patientKey: string, sink: ExportSink, since: number | undefined): number {
      const slots = postings?.get(patientKey) ?? [];
      for (const slot of slots) {
        if (slot >= snapshot.limit || added[slot] === 1 || snapshot.changed(slot)) continue;
        added[slot] = 1;
        const record = snapshot.recordAt(slot);
        if (record !== undefined && changedAfter(record, since)) sink.add(type, record);
      }
      return slots.length;
    },
    /** Records replaced or removed since kick-off whose version of then names one of the walked patients. */
    addChanged(walked: ReadonlySet<string>, sink: ExportSink, since: number | undefined): void {
      for (const [slot, record] of snapshot.preImages()) {
        if (added[slot] === 1) continue;
        const keys = table.valuesOf(record, paramIndex) as readonly string[];
        if (!keys.some((key) => key.startsWith('Patient/') && walked.has(key.slice('Patient/'.length)))) continue;
        added[slot] = 1;
        if (changedAfter(record, since)) sink.add(type, record);
      }
    },
  };
}
