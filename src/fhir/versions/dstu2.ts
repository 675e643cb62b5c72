import { capabilityBody, OAUTH_SECURITY_SERVICE } from './capabilityBody.js';
import { groupSearchParams } from './groupSearchParams.js';
import { dateParam, referenceParam, stringParam, tokenParam } from './paramBuilders.js';
import type { SearchParamDefinition } from './searchParamDefinition.js';
import type { VersionAdapter } from './versionAdapter.js';

/**
 * FHIR DSTU2 (1.0.2). Parameter names and element paths follow the DSTU2 search parameter tables;
 * the one deliberate addition is Coverage `patient`, which the partner's client sends although DSTU2
 * defines no such parameter (it searches Coverage.subscriber here).
 */

/** The `patient` parameter of a clinical resource, on the element that names its patient. */
const patientOf = (resourceType: string, element: 'patient' | 'subject'): SearchParamDefinition =>
  referenceParam('patient', `Who the resource is about (${resourceType}.${element})`, [element], ['Patient']);

const searchParams: Record<string, readonly SearchParamDefinition[]> = {
  Patient: [
    stringParam('name', 'A portion of any part of the name (family, given, prefix, suffix, text)', ['name']),
    stringParam('family', 'A portion of the family name', ['name.family']),
    stringParam('given', 'A portion of the given name', ['name.given']),
    dateParam('birthdate', "The patient's date of birth", ['birthDate']),
    tokenParam('gender', 'Gender of the patient', ['gender']),
    tokenParam('identifier', 'A patient identifier (e.g. the MRN)', ['identifier']),
    tokenParam('active', 'Whether the patient record is active', ['active']),
    stringParam('address', 'Any part of an address', ['address']),
    referenceParam('careprovider', "Patient's nominated care provider", ['careProvider'], ['Practitioner', 'Organization']),
  ],
  Observation: [
    patientOf('Observation', 'subject'),
    referenceParam('subject', 'The subject of the observation', ['subject'], ['Patient', 'Group', 'Device', 'Location']),
    tokenParam('category', 'The classification of the observation', ['category']),
    tokenParam('code', 'The code of the observation', ['code']),
    dateParam('date', 'Clinically relevant time (effective[x])', ['effectiveDateTime', 'effectivePeriod']),
    tokenParam('status', 'The status of the observation', ['status']),
    referenceParam('encounter', 'Healthcare event related to the observation', ['encounter'], ['Encounter']),
  ],
  Condition: [
    patientOf('Condition', 'patient'),
    tokenParam('code', 'Code for the condition', ['code']),
    tokenParam('category', 'The category of the condition', ['category']),
    tokenParam('clinicalstatus', 'The clinical status of the condition', ['clinicalStatus']),
    tokenParam('severity', 'The severity of the condition', ['severity']),
    dateParam('date-recorded', 'A date, when the Condition statement was documented (dateRecorded)', ['dateRecorded']),
    dateParam('onset', 'Date related onsets (onset[x])', ['onsetDateTime', 'onsetPeriod']),
    tokenParam('identifier', 'A unique identifier of the condition record', ['identifier']),
    referenceParam('encounter', 'Encounter when condition first asserted', ['encounter'], ['Encounter']),
  ],
  Encounter: [
    patientOf('Encounter', 'patient'),
    dateParam('date', 'A date within the period the Encounter lasted', ['period']),
    tokenParam('status', 'The status of the encounter', ['status']),
    tokenParam('type', 'Specific type of encounter', ['type']),
    tokenParam('identifier', 'Identifier(s) by which this encounter is known', ['identifier']),
    referenceParam('location', 'Location the encounter takes place', ['location.location'], ['Location']),
  ],
  AllergyIntolerance: [
    patientOf('AllergyIntolerance', 'patient'),
    dateParam('date', 'When recorded (recordedDate)', ['recordedDate']),
    tokenParam('status', 'Certainty of the allergy or intolerance', ['status']),
    tokenParam('category', 'Category of the substance', ['category']),
    tokenParam('criticality', 'Estimated potential clinical harm', ['criticality']),
    tokenParam('type', 'Underlying mechanism (if known)', ['type']),
    tokenParam('substance', 'Substance, (or class) considered to be responsible for risk', ['substance', 'reaction.substance']),
    tokenParam('identifier', 'External ids for this item', ['identifier']),
  ],
  MedicationOrder: [
    patientOf('MedicationOrder', 'patient'),
    dateParam('datewritten', 'Return prescriptions written on this date (dateWritten)', ['dateWritten']),
    tokenParam('code', 'Return administrations of this medication code', ['medicationCodeableConcept']),
    referenceParam('medication', 'Return administrations of this medication reference', ['medicationReference'], ['Medication']),
    tokenParam('status', 'Status of the prescription', ['status']),
    referenceParam('prescriber', 'Who ordered the medication(s)', ['prescriber'], ['Practitioner']),
    referenceParam('encounter', 'Return prescriptions with this encounter identifier', ['encounter'], ['Encounter']),
    tokenParam('identifier', 'Return prescriptions with this external identifier', ['identifier']),
  ],
  Coverage: [
    referenceParam(
      'patient',
      'Sandbox extension (not in DSTU2): the covered patient, Coverage.subscriber',
      ['subscriber'],
      ['Patient'],
    ),
    tokenParam('identifier', 'The primary identifier of the insured', ['identifier']),
    tokenParam('plan', 'A plan or policy identifier', ['plan']),
    tokenParam('group', 'Group identifier', ['group']),
    tokenParam('type', 'The kind of coverage', ['type']),
    referenceParam('issuer', 'The identity of the insurer', ['issuer'], ['Organization']),
  ],
  Group: groupSearchParams(['Patient', 'Practitioner', 'Device', 'Medication', 'Substance']),
  Location: [
    stringParam('name', 'A (portion of the) name of the location', ['name']),
    tokenParam('identifier', 'Unique code or number identifying the location', ['identifier']),
    stringParam('address', 'A (part of the) address of the location', ['address']),
    tokenParam('status', 'Searches for locations with a specific kind of status', ['status']),
    tokenParam('type', 'A code for the type of location', ['type']),
  ],
  Organization: [
    stringParam('name', 'A portion of the organization\'s name', ['name']),
    tokenParam('identifier', 'Any identifier for the organization', ['identifier']),
    tokenParam('type', 'A code for the type of organization', ['type']),
    tokenParam('active', 'Whether the organization\'s record is active', ['active']),
  ],
  Practitioner: [
    stringParam('name', 'A portion of either family or given name', ['name']),
    stringParam('family', 'A portion of the family name', ['name.family']),
    stringParam('given', 'A portion of the given name', ['name.given']),
    tokenParam('identifier', 'A practitioner identifier', ['identifier']),
    tokenParam('gender', 'Gender of the practitioner', ['gender']),
  ],
};

export const dstu2Adapter: VersionAdapter = {
  version: 'dstu2',
  fhirVersion: '1.0.2',
  // DSTU2 predates the registered type; its own spelling is the one its clients expect.
  mediaType: 'application/json+fhir',
  resourceTypes: ['Patient', 'Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'MedicationOrder', 'Coverage', 'Group', 'Location', 'Organization', 'Practitioner'],
  searchParams,
  // `deleted` arrives in R4's issue types: a 410 after a delete says `processing` here.
  issueTypeSubstitutes: { deleted: 'processing' },
  outcomeHasExpression: false,
  renderCapability(capability) {
    // DSTU2 has no `batch` system interaction: batch Bundles go to the transaction endpoint.
    const batchInteraction = { code: 'transaction', documentation: 'Bundles of type batch only; type transaction is refused' };
    const body = capabilityBody(capability, { batchInteraction, securityService: OAUTH_SECURITY_SERVICE, acceptUnknown: true, operationDefinition: (url) => ({ reference: url }) });
    return { resourceType: 'Conformance', ...body, fhirVersion: '1.0.2' };
  },
};
