/** Request bodies we accept as FHIR JSON. */
export const FHIR_JSON_TYPES = ['application/json+fhir', 'application/fhir+json', 'application/json'];
