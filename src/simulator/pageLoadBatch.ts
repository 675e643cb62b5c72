import type { FhirVersion } from '../fhir/types.js';

/**
 * The searches the reference client sends for one patient, in the syntax each version's client
 * uses: everything the patient card shows. They travel together as the page-load batch.
 */
export function pageLoadSearches(version: FhirVersion, patientId: string): string[] {
  const patient = encodeURIComponent(patientId);
  const newestFirst = version === 'dstu2' ? '_sort:desc=date' : '_sort=-date';
  const medications = version === 'dstu2' ? 'MedicationOrder' : 'MedicationRequest';
  return [
    `Observation?patient=${patient}&category=vital-signs&${newestFirst}`,
    `Condition?patient=${patient}&_count=20`,
    `Encounter?patient=${patient}&_sort:desc=date&_count=1`,
    `AllergyIntolerance?patient=${patient}`,
    `${medications}?patient=${patient}&_count=20`,
    `Coverage?patient=${patient}`,
  ];
}

/** The batch the reference client POSTs to the base once it has a patient. */
export function pageLoadBatch(version: FhirVersion, patientId: string): Record<string, unknown> {
  const entry = pageLoadSearches(version, patientId).map((url) => ({ request: { method: 'GET', url } }));
  return { resourceType: 'Bundle', type: 'batch', entry };
}
