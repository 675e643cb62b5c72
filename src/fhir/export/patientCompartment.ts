import type { TypeTable } from '../store/typeTable.js';
import type { VersionAdapter } from '../versions/versionAdapter.js';

/** The search parameter that ties a resource to its patient, in every version the sandbox serves. */
const PATIENT_PARAM = 'patient';

/**
 * The resource types of the Patient compartment this server serves: Patient itself and every type
 * with a `patient` search parameter (each version's adapter puts it on the element that holds the
 * patient: subject, patient or beneficiary). Patient- and Group-level exports are limited to them.
 */
export function patientCompartmentTypes(adapter: VersionAdapter): string[] {
  return adapter.resourceTypes.filter((type) => type === 'Patient' || (adapter.searchParams[type] ?? []).some((param) => param.name === PATIENT_PARAM));
}

/**
 * Which slots of `table` hold records of the patients named by `patientKeys` ("Patient/<id>"), or of
 * any patient when it is undefined; undefined when every record qualifies. Reads the table's index
 * only, never a record, so it costs one pass over posting lists.
 */
export function compartmentSlots(table: TypeTable, patientKeys: ReadonlySet<string> | undefined): Uint8Array | undefined {
  if (table.type === 'Patient' && patientKeys === undefined) return undefined;
  const marked = new Uint8Array(table.slots.length);
  if (table.type === 'Patient') {
    for (const key of patientKeys ?? []) {
      const record = table.byId.get(key.slice('Patient/'.length));
      if (record !== undefined) marked[record.slot] = 1;
    }
    return marked;
  }
  const postings = table.postings[table.params.findIndex((param) => param.name === PATIENT_PARAM)];
  if (postings === undefined) return marked;
  if (patientKeys === undefined) {
    for (const [key, list] of postings) if (key.startsWith('Patient/')) for (const slot of list.slots) marked[slot] = 1;
  } else {
    for (const key of patientKeys) for (const slot of postings.get(key)?.slots ?? []) marked[slot] = 1;
  }
  return marked;
}
