import type { Resource } from '../../fhir/types.js';
import { CODE_SYSTEMS, type Concept } from '../codes/concept.js';
import { CONDITION_SEVERITIES, CONDITIONS } from '../codes/conditions.js';
import { formatDate, formatDateTime } from '../story/calendar.js';
import type { ConditionStory, PatientStory } from '../story/patientStory.js';
import { codeableConcept, meta, practitionerReference, reference } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

const DSTU2_CATEGORY: Concept = { system: CODE_SYSTEMS.conditionCategory, code: 'diagnosis', display: 'Diagnosis' };
const STU3_CATEGORY: Concept = { system: CODE_SYSTEMS.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' };

/**
 * Condition. DSTU2: `patient`, `encounter`, `dateRecorded` (a date), one `category` coded
 * "diagnosis", and a required `verificationStatus`. STU3: `subject`, `context`, `assertedDate`
 * (a dateTime) and a list of categories coded "encounter-diagnosis".
 */
export function renderCondition(condition: ConditionStory, story: PatientStory, context: RenderContext): Resource {
  const clinicalStatus = condition.abatement === undefined ? 'active' : 'resolved';
  const code = codeableConcept(CONDITIONS[condition.key].concept);
  const severity = codeableConcept(CONDITION_SEVERITIES[condition.severity]);
  const patient = reference('Patient', story.patientId);
  const encounter = reference('Encounter', condition.encounterId);
  const asserter = practitionerReference(context, condition.asserterId);
  const resource: Resource =
    context.version === 'dstu2'
      ? {
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
        }
      : {
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
  if (condition.abatement !== undefined) resource['abatementDateTime'] = formatDateTime(condition.abatement);
  return resource;
}
