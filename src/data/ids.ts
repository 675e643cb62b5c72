/**
 * Resource ids: deterministic, unique within a tenant, and readable in logs.
 * A patient's key is its zero-padded index ("000001") or a fixture's id ("ruth-black");
 * every resource of that patient carries the key, so ids never collide across patients.
 */

export function generatedPatientKey(index: number): string {
  return String(index + 1).padStart(6, '0');
}

export function generatedPatientId(index: number): string {
  return `pat-${generatedPatientKey(index)}`;
}

/** The id of a patient's n-th (1-based) resource of one kind, e.g. `obs-000001-003`. */
export function patientResourceId(prefix: string, patientKey: string, ordinal: number): string {
  return `${prefix}-${patientKey}-${String(ordinal).padStart(3, '0')}`;
}

export function sharedResourceId(prefix: string, ordinal: number): string {
  return `${prefix}-${String(ordinal).padStart(3, '0')}`;
}
