/** The reference client's page load for one patient, as one batch Bundle of six searches. */
export function pageLoadBatch(patientId: string): unknown {
  const searches = [
    `Observation?patient=${patientId}&category=vital-signs&_sort=-date`,
    `Condition?patient=${patientId}&_count=20`,
    `Encounter?patient=${patientId}&_sort:desc=date&_count=1`,
    `AllergyIntolerance?patient=${patientId}`,
    `MedicationRequest?patient=${patientId}&_count=20`,
    `Coverage?patient=${patientId}`,
  ];
  return { resourceType: 'Bundle', type: 'batch', entry: searches.map((url) => ({ request: { method: 'GET', url } })) };
}
