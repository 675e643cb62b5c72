import type { Resource } from './types.js';

/** The given and family name a person would type into a search, from a Patient of any version. */
export interface PatientName {
  given: string;
  family: string;
}

/** DSTU2's HumanName.family is a list, STU3's a string; the first official (else first) name is used. */
export function patientName(patient: Resource): PatientName | undefined {
  const names = (patient as { name?: unknown }).name;
  if (!Array.isArray(names)) return undefined;
  const name = (names.find((candidate: { use?: unknown }) => candidate?.use === 'official') ?? names[0]) as
    | { given?: unknown; family?: unknown }
    | undefined;
  const family = Array.isArray(name?.family) ? name.family[0] : name?.family;
  const given = Array.isArray(name?.given) ? name.given[0] : undefined;
  if (typeof family !== 'string' || typeof given !== 'string') return undefined;
  return { given, family };
}
