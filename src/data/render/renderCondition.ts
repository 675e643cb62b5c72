import type { Resource } from '../../fhir/types.js';
import { CODE_SYSTEMS, type Concept } from '../codes/concept.js';
import { CONDITION_SEVERITIES, CONDITIONS } from '../codes/conditions.js';
import { R4_CODE_SYSTEMS } from '../codes/r4CodeSystems.js';
import { US_CORE_PROFILES } from '../codes/usCoreProfiles.js';
import { formatDate, formatDateTime } from '../story/calendar.js';
import type { ConditionStory, PatientStory } from '../story/patientStory.js';
import { codeableConcept, meta, practitionerReference, profiledMeta, reference, type CodeableConcept, type Reference } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

const DSTU2_CATEGORY: Concept = { system: CODE_SYSTEMS.conditionCategory, code: 'diagnosis', display: 'Diagnosis' };
const STU3_CATEGORY: Concept = { system: CODE_SYSTEMS.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' };
const R4_CATEGORY: Concept = { ...STU3_CATEGORY, system: R4_CODE_SYSTEMS.conditionCategory };
const R4_CLINICAL_STATUSES: Readonly<Record<'active' | 'resolved', Concept>> = {
  active: { system: R4_CODE_SYSTEMS.conditionClinical, code: 'active', display: 'Active' },
  resolved: { system: R4_CODE_SYSTEMS.conditionClinical, code: 'resolved', display: 'Resolved' },
};
const R4_VERIFICATION_STATUSES: Readonly<Record<ConditionStory['verification'], Concept>> = {
  confirmed: { system: R4_CODE_SYSTEMS.conditionVerification, code: 'confirmed', display: 'Confirmed' },
  provisional: { system: R4_CODE_SYSTEMS.conditionVerification, code: 'provisional', display: 'Provisional' },
};

/**
 * Condition. DSTU2: `patient`, `encounter`, `dateRecorded` (a date), one `category` coded
 * "diagnosis", and a required `verificationStatus`. STU3: `subject`, `context`, `assertedDate`
 * (a dateTime) and a list of categories coded "encounter-diagnosis". R4: clinical and verification
 * status as CodeableConcepts, `encounter`, `recordedDate` and `recorder`, US Core 3.1.1's Condition.
 */
export function renderCondition(condition: ConditionStory, story: PatientStory, context: RenderContext): Resource {
  const resource = conditionInVersion(condition, {
    clinicalStatus: condition.abatement === undefined ? 'active' : 'resolved',
    code: codeableConcept(CONDITIONS[condition.key].concept),
    severity: codeableConcept(CONDITION_SEVERITIES[condition.severity]),
    patient: reference('Patient', story.patientId),
    encounter: reference('Encounter', condition.encounterId),
    asserter: practitionerReference(context, condition.asserterId),
  }, context);
  if (condition.abatement !== undefined) resource['abatementDateTime'] = formatDateTime(condition.abatement);
  return resource;
}

/** What every version's Condition says, before each spells it. */
interface ConditionParts {
  clinicalStatus: 'active' | 'resolved';
  code: CodeableConcept;
  severity: CodeableConcept;
  patient: Reference;
  encounter: Reference;
  asserter: Reference;
}

function conditionInVersion(condition: ConditionStory, parts: ConditionParts, context: RenderContext): Resource {
  const { clinicalStatus, code, severity, patient, encounter, asserter } = parts;
  switch (context.version) {
    case 'dstu2':
      return {
        resourceType: 'Condition',
        id: condition.id,
        meta: meta(context),
        patient,
        encounter,
        asserter,
        dateRecorded: formatDate(condition.recorded),
        code,
        category: codeableConcept(DSTU2_CATEGORY),
        clinicalStatus,
        verificationStatus: condition.verification,
        severity,
        onsetDateTime: formatDateTime(condition.onset),
      };
    case 'stu3':
      return {
        resourceType: 'Condition',
        id: condition.id,
        meta: meta(context),
        clinicalStatus,
        verificationStatus: condition.verification,
        category: [codeableConcept(STU3_CATEGORY)],
        severity,
        code,
        subject: patient,
        context: encounter,
        onsetDateTime: formatDateTime(condition.onset),
        assertedDate: formatDateTime(condition.recorded),
        asserter,
      };
    case 'r4':
      return {
        resourceType: 'Condition',
        id: condition.id,
        meta: profiledMeta(context, US_CORE_PROFILES.condition),
        clinicalStatus: codeableConcept(R4_CLINICAL_STATUSES[clinicalStatus]),
        verificationStatus: codeableConcept(R4_VERIFICATION_STATUSES[condition.verification]),
        category: [codeableConcept(R4_CATEGORY)],
        severity,
        code,
        subject: patient,
        encounter,
        onsetDateTime: formatDateTime(condition.onset),
        recordedDate: formatDateTime(condition.recorded),
        recorder: asserter,
      };
  }
}
