import type { FhirVersion } from '../fhir/types.js';

/**
 * The batch the reference client POSTs to the base once it has a patient: everything the patient
 * card shows, in the search syntax each version's client sends.
 */
export function pageLoadBatch(version: FhirVersion, patientId: string): Record<string, unknown> {
  const patient = encodeURIComponent(patientId);
  const newestFirst = version === 'dstu2' ? '_sort:desc=date' : '_sort=-date';
  const medications = version === 'dstu2' ? 'MedicationOrder' : 'MedicationRequest';
  const urls = [
    `Observation?patient=${patient}&category=vital-signs&${newestFirst}`,
    `Condition?patient=${patient}&_count=20`,
    `Encounter?patient=${patient}&_sort:desc=date&_count=1`,
    `AllergyIntolerance?patient=${patient}`,
    `${medications}?patient=${patient}&_count=20`,
    `Coverage?patient=${patient}`,
  ];
  return { resourceType: 'Bundle', type: 'batch', entry: urls.map((url) => ({ request: { method: 'GET', url } })) };
}
