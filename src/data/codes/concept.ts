/** A coded concept from a terminology: the unit every vetted code table is made of. */
export interface Concept {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/** Terminology and value-set URIs as the DSTU2 and STU3 specifications spell them. */
export const CODE_SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  identifierType: 'http://hl7.org/fhir/v2/0203',
  observationCategory: 'http://hl7.org/fhir/observation-category',
  conditionCategory: 'http://hl7.org/fhir/condition-category',
  actCode: 'http://hl7.org/fhir/v3/ActCode',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  policyholderRelationship: 'http://hl7.org/fhir/policyholder-relationship',
} as const;

export function snomed(code: string, display: string): Concept {
  return { system: CODE_SYSTEMS.snomed, code, display };
}

export function loinc(code: string, display: string): Concept {
  return { system: CODE_SYSTEMS.loinc, code, display };
}

export function rxnorm(code: string, display: string): Concept {
  return { system: CODE_SYSTEMS.rxnorm, code, display };
}
