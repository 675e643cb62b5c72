/** DSTU2 and STU3 both answer with this media type (R4 will use application/fhir+json). */
export const FHIR_CONTENT_TYPE = 'application/json+fhir; charset=utf-8';

/** Request bodies we accept as FHIR JSON. */
export const FHIR_JSON_TYPES = ['application/json+fhir', 'application/fhir+json', 'application/json'];
