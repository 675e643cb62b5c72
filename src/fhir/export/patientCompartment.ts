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
  const marked = new Uint8Array(table.slotCount);
  if (table.type === 'Patient') {
    for (const key of patientKeys ?? []) {
      const slot = table.slotOf(key.slice('Patient/'.length));
      if (slot !== undefined) marked[slot] = 1;
    }
    return marked;
  }
  const postings = table.postingIndex(table.params.findIndex((param) => param.name === PATIENT_PARAM));
  if (postings === undefined) return marked;
  for (const key of patientKeys ?? postings.keys()) {
    if (patientKeys === undefined && !key.startsWith('Patient/')) continue;
    for (const slot of postings.get(key) ?? []) marked[slot] = 1;
  }
  return marked;
}
