import type { Resource } from '../../fhir/types.js';
import { MEDICATIONS } from '../codes/medications.js';
import { US_CORE_PROFILES } from '../codes/usCoreProfiles.js';
import { patientResourceId } from '../ids.js';
import { formatDateTime } from '../story/calendar.js';
import type { MedicationStory, PatientStory } from '../story/patientStory.js';
import { codeableConcept, meta, narrative, practitionerReference, profiledMeta, reference } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

/**
 * A prescription: a MedicationOrder in DSTU2; from STU3 on a MedicationRequest plus the
 * MedicationStatement that says the patient takes it (the spec's STU3 article names both).
 */
export function renderMedications(medication: MedicationStory, story: PatientStory, context: RenderContext): Resource[] {
  switch (context.version) {
    case 'dstu2':
      return [renderMedicationOrder(medication, story, context)];
    case 'stu3':
      return [renderMedicationRequest(medication, story, context), renderMedicationStatement(medication, story, context)];
    case 'r4':
      return [renderR4MedicationRequest(medication, story, context), renderR4MedicationStatement(medication, story, context)];
  }
}

/** What all three renderings say about the drug. */
function describeDrug(medication: MedicationStory) {
  const { concept, dosageText } = MEDICATIONS[medication.key];
  return {
    status: medication.ended === undefined ? 'active' : 'completed',
    medicationCodeableConcept: codeableConcept(concept, concept.display),
    dosage: [{ text: dosageText }],
    text: narrative(`${concept.display}: ${dosageText}`),
  };
}

/** DSTU2: `prescriber`, `dateWritten`, `dateEnded`, `patient`, a single `reasonReference`. */
function renderMedicationOrder(medication: MedicationStory, story: PatientStory, context: RenderContext): Resource {
  const drug = describeDrug(medication);
  const resource: Resource = {
    resourceType: 'MedicationOrder',
    id: patientResourceId('medo', story.key, medication.ordinal),
    meta: meta(context),
    text: drug.text,
    dateWritten: formatDateTime(medication.written),
    status: drug.status,
  };
  if (medication.ended !== undefined) resource['dateEnded'] = formatDateTime(medication.ended);
  resource['patient'] = reference('Patient', story.patientId);
  resource['prescriber'] = practitionerReference(context, medication.prescriberId);
  resource['encounter'] = reference('Encounter', medication.encounterId);
  resource['reasonReference'] = reference('Condition', medication.conditionId);
  resource['medicationCodeableConcept'] = drug.medicationCodeableConcept;
  resource['dosageInstruction'] = drug.dosage;
  return resource;
}

/** STU3: `requester.agent`, `authoredOn`, a required `intent`, `subject`, `context`. */
function renderMedicationRequest(medication: MedicationStory, story: PatientStory, context: RenderContext): Resource {
  const drug = describeDrug(medication);
  return {
    resourceType: 'MedicationRequest',
    id: patientResourceId('medrq', story.key, medication.ordinal),
    meta: meta(context),
    text: drug.text,
    status: drug.status,
    intent: 'order',
    medicationCodeableConcept: drug.medicationCodeableConcept,
    subject: reference('Patient', story.patientId),
    context: reference('Encounter', medication.encounterId),
    authoredOn: formatDateTime(medication.written),
    requester: { agent: practitionerReference(context, medication.prescriberId) },
    reasonReference: [reference('Condition', medication.conditionId)],
    dosageInstruction: drug.dosage,
  };
}

/** STU3: `dosage` (not dosageInstruction), a required `taken`, and `basedOn` pointing at the request. */
function renderMedicationStatement(medication: MedicationStory, story: PatientStory, context: RenderContext): Resource {
  const drug = describeDrug(medication);
  const start = formatDateTime(medication.written);
  return {
    resourceType: 'MedicationStatement',
    id: patientResourceId('medst', story.key, medication.ordinal),
    meta: meta(context),
    text: drug.text,
    basedOn: [reference('MedicationRequest', patientResourceId('medrq', story.key, medication.ordinal))],
    status: drug.status,
    medicationCodeableConcept: drug.medicationCodeableConcept,
    effectivePeriod: medication.ended === undefined ? { start } : { start, end: formatDateTime(medication.ended) },
    dateAsserted: start,
    informationSource: practitionerReference(context, medication.prescriberId),
    subject: reference('Patient', story.patientId),
    taken: 'y',
    reasonReference: [reference('Condition', medication.conditionId)],
    dosage: drug.dosage,
  };
}

/** R4: `requester` is the Reference itself, `encounter` replaces `context`; US Core 3.1.1's MedicationRequest. */
function renderR4MedicationRequest(medication: MedicationStory, story: PatientStory, context: RenderContext): Resource {
  const drug = describeDrug(medication);
  return {
    resourceType: 'MedicationRequest',
    id: patientResourceId('medrq', story.key, medication.ordinal),
    meta: profiledMeta(context, US_CORE_PROFILES.medicationRequest),
    text: drug.text,
    status: drug.status,
    intent: 'order',
    medicationCodeableConcept: drug.medicationCodeableConcept,
    subject: reference('Patient', story.patientId),
    encounter: reference('Encounter', medication.encounterId),
    authoredOn: formatDateTime(medication.written),
    requester: practitionerReference(context, medication.prescriberId),
    reasonReference: [reference('Condition', medication.conditionId)],
    dosageInstruction: drug.dosage,
  };
}

/** R4: as STU3 without `taken` (R4 says "not taking" through the status). */
function renderR4MedicationStatement(medication: MedicationStory, story: PatientStory, context: RenderContext): Resource {
  const { taken: _taken, ...statement } = renderMedicationStatement(medication, story, context);
  return statement;
}
