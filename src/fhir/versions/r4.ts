import { capabilityBody } from './capabilityBody.js';
import { groupSearchParams } from './groupSearchParams.js';
import { dateParam, referenceParam, stringParam, tokenParam } from './paramBuilders.js';
import type { SearchParamDefinition } from './searchParamDefinition.js';
import type { VersionAdapter } from './versionAdapter.js';

/**
 * FHIR R4 (4.0.1). The parameters the STU3 side serves, under R4's names and on R4's elements:
 * `encounter` where STU3 said `context`, Condition `recorded-date` (recordedDate), AllergyIntolerance
 * `date` on recordedDate, MedicationRequest `requester` on the Reference itself, and Coverage's
 * `class-type`/`class-value` in place of STU3's grouping. Coverage `patient` is R4's own parameter.
 */

const SUBJECT_TARGETS = ['Patient', 'Group'];

/** R4 clinical resources name their patient `subject`; both parameters search that element. */
const patientAndSubject = (resourceType: string): SearchParamDefinition[] => [
  referenceParam('patient', `Who the resource is about, when it is a Patient (${resourceType}.subject)`, ['subject'], ['Patient']),
  referenceParam('subject', `Who the resource is about (${resourceType}.subject)`, ['subject'], SUBJECT_TARGETS),
];

const encounterOf = (resourceType: string): SearchParamDefinition =>
  referenceParam('encounter', `The Encounter the ${resourceType} belongs to (${resourceType}.encounter)`, ['encounter'], ['Encounter']);

const searchParams: Record<string, readonly SearchParamDefinition[]> = {
  Patient: [
    stringParam('name', 'A server defined search that may match any of the string fields in the HumanName', ['name']),
    stringParam('family', 'A portion of the family name of the patient', ['name.family']),
    stringParam('given', 'A portion of the given name of the patient', ['name.given']),
    dateParam('birthdate', "The patient's date of birth", ['birthDate']),
    tokenParam('gender', 'Gender of the patient', ['gender']),
    tokenParam('identifier', 'A patient identifier (e.g. the MRN)', ['identifier']),
    tokenParam('active', 'Whether the patient record is active', ['active']),
    stringParam('address', 'A server defined search that may match any of the string fields in the Address', ['address']),
    referenceParam(
      'general-practitioner',
      "Patient's nominated general practitioner",
      ['generalPractitioner'],
      ['Practitioner', 'Organization', 'PractitionerRole'],
    ),
  ],
  Observation: [
    ...patientAndSubject('Observation'),
    tokenParam('category', 'The classification of the type of observation', ['category']),
    tokenParam('code', 'The code of the observation type', ['code']),
    dateParam('date', 'Obtained date/time (effective[x])', ['effectiveDateTime', 'effectivePeriod']),
    tokenParam('status', 'The status of the observation', ['status']),
    encounterOf('Observation'),
  ],
  Condition: [
    ...patientAndSubject('Condition'),
    tokenParam('code', 'Code for the condition', ['code']),
    tokenParam('category', 'The category of the condition', ['category']),
    tokenParam('clinical-status', 'The clinical status of the condition', ['clinicalStatus']),
    tokenParam('verification-status', 'The verification status of the condition', ['verificationStatus']),
    tokenParam('severity', 'The severity of the condition', ['severity']),
    dateParam('recorded-date', 'Date record was first recorded (recordedDate)', ['recordedDate']),
    dateParam('onset-date', 'Date related onsets (dateTime and Period)', ['onsetDateTime', 'onsetPeriod']),
    tokenParam('identifier', 'A unique identifier of the condition record', ['identifier']),
    encounterOf('Condition'),
  ],
  Encounter: [
    ...patientAndSubject('Encounter'),
    dateParam('date', 'A date within the period the Encounter lasted', ['period']),
    tokenParam('status', 'The status of the encounter', ['status']),
    tokenParam('type', 'Specific type of encounter', ['type']),
    tokenParam('class', 'Classification of the patient encounter', ['class']),
    tokenParam('identifier', 'Identifier(s) by which this encounter is known', ['identifier']),
    referenceParam('location', 'Location the encounter takes place', ['location.location'], ['Location']),
  ],
  AllergyIntolerance: [
    referenceParam('patient', 'Who the sensitivity is for', ['patient'], ['Patient']),
    dateParam('date', 'Date first version of the resource instance was recorded (recordedDate)', ['recordedDate']),
    tokenParam('clinical-status', 'The clinical status of the allergy or intolerance', ['clinicalStatus']),
    tokenParam('verification-status', 'The verification status of the allergy or intolerance', ['verificationStatus']),
    tokenParam('category', 'Category of the identified substance', ['category']),
    tokenParam('criticality', 'Estimated potential clinical harm', ['criticality']),
    tokenParam('type', 'Underlying mechanism (if known)', ['type']),
    tokenParam('code', 'Code that identifies the allergy or intolerance', ['code', 'reaction.substance']),
    tokenParam('identifier', 'External ids for this item', ['identifier']),
  ],
  MedicationRequest: [
    ...patientAndSubject('MedicationRequest'),
    dateParam('authoredon', 'Return prescriptions written on this date (authoredOn)', ['authoredOn']),
    tokenParam('code', 'Return prescriptions of this medication code', ['medicationCodeableConcept']),
    referenceParam('medication', 'Return prescriptions for this medication reference', ['medicationReference'], ['Medication']),
    tokenParam('status', 'Status of the prescription', ['status']),
    tokenParam('intent', 'Returns prescriptions with different intents', ['intent']),
    referenceParam('requester', 'Returns prescriptions prescribed by this prescriber', ['requester'], ['Practitioner', 'Organization', 'Patient', 'PractitionerRole', 'RelatedPerson', 'Device']),
    encounterOf('MedicationRequest'),
    tokenParam('identifier', 'Return prescriptions with this external identifier', ['identifier']),
  ],
  MedicationStatement: [
    ...patientAndSubject('MedicationStatement'),
    dateParam('effective', 'Date when patient was taking (or not taking) the medication', ['effectiveDateTime', 'effectivePeriod']),
    tokenParam('code', 'Return statements of this medication code', ['medicationCodeableConcept']),
    referenceParam('medication', 'Return statements of this medication reference', ['medicationReference'], ['Medication']),
    tokenParam('status', 'Return statements that match the given status', ['status']),
    tokenParam('category', 'Returns statements of this category of medicationstatement', ['category']),
    referenceParam('context', 'Returns statements for a specific context (episode or episode of Care)', ['context'], ['Encounter', 'EpisodeOfCare']),
    tokenParam('identifier', 'Return statements with this external identifier', ['identifier']),
  ],
  Coverage: [
    referenceParam('patient', 'Retrieve coverages for a patient (Coverage.beneficiary)', ['beneficiary'], ['Patient']),
    referenceParam('beneficiary', 'Covered party', ['beneficiary'], ['Patient']),
    referenceParam('subscriber', 'Reference to the subscriber', ['subscriber'], ['Patient', 'RelatedPerson']),
    referenceParam('policy-holder', 'Reference to the policyholder', ['policyHolder'], ['Patient', 'RelatedPerson', 'Organization']),
    referenceParam('payor', 'The identity of the insurer or party paying for services', ['payor'], ['Organization', 'Patient', 'RelatedPerson']),
    tokenParam('identifier', 'The primary identifier of the insured and the coverage', ['identifier']),
    tokenParam('type', 'The kind of coverage (health plan, auto, Workers Compensation)', ['type']),
    tokenParam('status', 'The status of the Coverage', ['status']),
    tokenParam('class-type', 'Coverage class (eg. plan, group)', ['class.type']),
    stringParam('class-value', 'Value of the class (eg. Plan number, group number)', ['class.value']),
  ],
  Group: groupSearchParams(['Patient', 'Practitioner', 'PractitionerRole', 'Device', 'Medication', 'Substance', 'Group']),
  Location: [
    stringParam('name', 'A portion of the location\'s name or alias', ['name', 'alias']),
    tokenParam('identifier', 'An identifier for the location', ['identifier']),
    stringParam('address', 'A (part of the) address of the location', ['address']),
    tokenParam('status', 'Searches for locations with a specific kind of status', ['status']),
    tokenParam('type', 'A code for the type of location', ['type']),
  ],
  Organization: [
    stringParam('name', 'A portion of the organization\'s name or alias', ['name', 'alias']),
    tokenParam('identifier', 'Any identifier for the organization (not the accreditation issuer\'s identifier)', ['identifier']),
    tokenParam('type', 'A code for the type of organization', ['type']),
    tokenParam('active', 'Is the Organization record active', ['active']),
  ],
  Practitioner: [
    stringParam('name', 'A server defined search that may match any of the string fields in the HumanName', ['name']),
    stringParam('family', 'A portion of the family name', ['name.family']),
    stringParam('given', 'A portion of the given name', ['name.given']),
    tokenParam('identifier', 'A practitioner\'s Identifier', ['identifier']),
    tokenParam('gender', 'Gender of the practitioner', ['gender']),
    tokenParam('active', 'Whether the practitioner record is active', ['active']),
  ],
};

export const r4Adapter: VersionAdapter = {
  version: 'r4',
  fhirVersion: '4.0.1',
  mediaType: 'application/fhir+json',
  resourceTypes: [
    'Patient',
    'Observation',
    'Condition',
    'Encounter',
    'AllergyIntolerance',
    'MedicationRequest',
    'MedicationStatement',
    'Coverage',
    'Group',
    'Location',
    'Organization',
    'Practitioner',
  ],
  searchParams,
  // R4's issue types have every code the core writes (`deleted` first appears here).
  issueTypeSubstitutes: {},
  outcomeHasExpression: true,
  renderCapability(capability) {
    const body = capabilityBody(capability, {
      batchInteraction: { code: 'batch' },
      // R4 moved the code system to terminology.hl7.org; SMART clients look for this code beside the oauth-uris extension.
      securityService: { system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR', display: 'SMART-on-FHIR' },
      acceptUnknown: false,
      // R4 made OperationDefinition references canonical URLs.
      operationDefinition: (url) => url,
    });
    return { resourceType: 'CapabilityStatement', ...body, fhirVersion: '4.0.1' };
  },
};
