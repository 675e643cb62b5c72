import { isObject, type JsonObject } from './fhirJson.js';
import { hasAny, valuesAt } from './fieldPaths.js';
import type { CheckVersion, VersionCallSet } from './versionCallSets.js';

/** A field the client reads; present when any of the paths holds a value. */
export interface FieldRequirement {
  label: string;
  present(resource: JsonObject): boolean;
}

const field = (label: string, ...paths: string[]): FieldRequirement => ({ label, present: (resource) => hasAny(resource, paths.length > 0 ? paths : [label]) });

/** The MRN: an identifier whose type is coded MR in the version's identifier-type system. */
function medicalRecordNumber(typeSystem: string): FieldRequirement {
  return {
    label: 'MRN identifier',
    present: (resource) =>
      valuesAt(resource, 'identifier').some(
        (identifier) =>
          isObject(identifier) &&
          typeof identifier.value === 'string' &&
          valuesAt(identifier, 'type.coding').some((coding) => isObject(coding) && coding.code === 'MR' && coding.system === typeSystem),
      ),
  };
}

/**
 * R4's stand-in for STU3's grouping.groupDisplay and planDisplay: the name of the Coverage.class entry
 * whose type is coded `group` or `plan`.
 */
function coverageClassName(kind: 'group' | 'plan'): FieldRequirement {
  return {
    label: `class (${kind}).name`,
    present: (resource) =>
      valuesAt(resource, 'class').some(
        (entry) => isObject(entry) && valuesAt(entry, 'type.coding').some((coding) => isObject(coding) && coding.code === kind) && valuesAt(entry, 'name').length > 0,
      ),
  };
}

const OBSERVATION = [
  field('effective[x]', 'effectiveDateTime', 'effectivePeriod', 'effectiveInstant'),
  field('code.coding.code'),
  field('valueQuantity.value (or per component)', 'valueQuantity.value', 'component.valueQuantity.value'),
];
const CONDITION = [field('code.coding[0].display')];
const ENCOUNTER = [field('status'), field('type[0].coding[0].display'), field('period.start'), field('location[0].location.display')];
const STU3_MEDICATION = field('medication display or text', 'medicationCodeableConcept.text', 'medicationCodeableConcept.coding.display', 'medicationReference.display');

/** Per version and resource type, the fields the contract says the client needs (the "nice to have" ones are not checked). */
const FIELDS_BY_VERSION: Readonly<Record<CheckVersion, Readonly<Record<string, readonly FieldRequirement[]>>>> = {
  dstu2: {
    Observation: OBSERVATION,
    Condition: CONDITION,
    Encounter: ENCOUNTER,
    AllergyIntolerance: [field('substance text or code', 'substance.text', 'substance.coding.code'), field('status'), field('recordedDate')],
    MedicationOrder: [
      field('dateWritten'),
      field('prescriber.display'),
      field('medicationReference.display or medicationCodeableConcept.text', 'medicationReference.display', 'medicationCodeableConcept.text'),
    ],
    Coverage: [field('plan or issuer', 'plan', 'issuer')],
  },
  stu3: {
    Observation: OBSERVATION,
    Condition: CONDITION,
    Encounter: ENCOUNTER,
    AllergyIntolerance: [field('code text or display', 'code.text', 'code.coding[0].display'), field('verificationStatus'), field('assertedDate')],
    MedicationRequest: [STU3_MEDICATION, field('authoredOn'), field('requester.agent.display')],
    MedicationStatement: [STU3_MEDICATION],
    Coverage: [field('grouping.groupDisplay'), field('grouping.planDisplay'), field('period'), field('subscriberId')],
  },
  r4: {
    Observation: OBSERVATION,
    Condition: CONDITION,
    Encounter: ENCOUNTER,
    AllergyIntolerance: [field('code text or display', 'code.text', 'code.coding[0].display'), field('verificationStatus'), field('recordedDate')],
    MedicationRequest: [STU3_MEDICATION, field('authoredOn'), field('requester.display')],
    MedicationStatement: [STU3_MEDICATION],
    Coverage: [coverageClassName('group'), coverageClassName('plan'), field('period'), field('subscriberId')],
  },
};

/** Patient's fields: the one resource the client cannot load without. */
export function patientFields(callSet: VersionCallSet): FieldRequirement[] {
  return [field('name.given'), field('name.family'), field('gender'), field('birthDate'), medicalRecordNumber(callSet.identifierTypeSystem)];
}

/** The clinical resource types whose fields are checked for this version, with their fields. */
export function clinicalFields(callSet: VersionCallSet): Readonly<Record<string, readonly FieldRequirement[]>> {
  return FIELDS_BY_VERSION[callSet.version];
}

/** Labels of the requirements a resource does not meet. */
export function missingFields(resource: JsonObject, requirements: readonly FieldRequirement[]): string[] {
  return requirements.filter((requirement) => !requirement.present(resource)).map((requirement) => requirement.label);
}
