import type { FhirVersion } from '../fhir/types.js';

/** The FHIR versions a partner may speak to the client; R4 is the contract's "next version". */
export type CheckVersion = 'dstu2' | 'stu3' | 'r4';

export const CHECK_VERSIONS: readonly CheckVersion[] = ['dstu2', 'stu3', 'r4'];

/**
 * Everything about the client's calls that depends on the FHIR version, one row per version: adding a
 * version is adding a row. The clinical searches themselves come from the reference client
 * (src/simulator/pageLoadBatch.ts) in the spelling named by `searchSyntax`.
 */
export interface VersionCallSet {
  version: CheckVersion;
  label: string;
  /** `fhirVersion` values in metadata that mean this version. */
  declaredVersions: RegExp;
  /** What the metadata document is called in this version. */
  capabilityType: 'Conformance' | 'CapabilityStatement';
  /** The version's FHIR JSON media type: every answer's Content-Type, and first in Accept. */
  mediaType: string;
  /** Whose spelling of the clinical searches the client sends (the reference client's, for this version). */
  searchSyntax: FhirVersion;
  /** The official definitions bodies are validated against. */
  validateAs: FhirVersion;
  /** The form field the client sends the family name in. */
  familyField: string;
  /** Patient search parameters the client sends, as the capability document should declare them. */
  patientSearchParams: readonly string[];
  /** Searches the client sends besides the page-load batch. */
  extraSearches: (patientId: string) => string[];
  /** The identifier type system of the MRN (identifier.type.coding with code MR). */
  identifierTypeSystem: string;
}

const HL7_V2_0203 = 'http://hl7.org/fhir/v2/0203';

/** STU3 lists MedicationStatement and describes MedicationRequest: the client asks for both. */
const medicationStatement = (patientId: string) => [`MedicationStatement?patient=${encodeURIComponent(patientId)}&_count=20`];

export const VERSION_CALL_SETS: Readonly<Record<CheckVersion, VersionCallSet>> = {
  dstu2: {
    version: 'dstu2',
    label: 'DSTU2',
    declaredVersions: /^1\.0(\.\d+)?$/,
    capabilityType: 'Conformance',
    mediaType: 'application/json+fhir',
    searchSyntax: 'dstu2',
    validateAs: 'dstu2',
    familyField: 'family:contains',
    patientSearchParams: ['family', 'given', 'name', 'birthdate', 'identifier'],
    extraSearches: () => [],
    identifierTypeSystem: HL7_V2_0203,
  },
  stu3: {
    version: 'stu3',
    label: 'STU3',
    declaredVersions: /^3\.0(\.\d+)?$/,
    capabilityType: 'CapabilityStatement',
    mediaType: 'application/fhir+json',
    searchSyntax: 'stu3',
    validateAs: 'stu3',
    familyField: 'family',
    patientSearchParams: ['family', 'given', 'birthdate', 'gender', 'identifier'],
    extraSearches: medicationStatement,
    identifierTypeSystem: HL7_V2_0203,
  },
  r4: {
    version: 'r4',
    label: 'R4',
    declaredVersions: /^4\.0(\.\d+)?$/,
    capabilityType: 'CapabilityStatement',
    mediaType: 'application/fhir+json',
    searchSyntax: 'r4',
    validateAs: 'r4',
    familyField: 'family',
    patientSearchParams: ['family', 'given', 'birthdate', 'gender', 'identifier'],
    extraSearches: medicationStatement,
    identifierTypeSystem: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  },
};

/** The version a declared `fhirVersion` names, if any. */
export function versionDeclaredAs(declared: string): CheckVersion | undefined {
  return CHECK_VERSIONS.find((version) => VERSION_CALL_SETS[version].declaredVersions.test(declared));
}
