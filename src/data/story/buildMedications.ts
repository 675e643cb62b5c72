import { CONDITIONS } from '../codes/conditions.js';
import { MEDICATIONS, type MedicationKey } from '../codes/medications.js';
import { DAY_MS, MINUTE_MS } from './calendar.js';
import type { ConditionStory, EncounterStory, MedicationStory } from './patientStory.js';
import type { StoryRandom } from './storyRandom.js';

const MAX_MEDICATIONS = 4;
const SHORT_COURSE_DAYS = 10;

/**
 * A prescription for most conditions, written by the practitioner of the encounter where the
 * condition was recorded. Short courses end after ten days; maintenance drugs stop when the
 * condition resolves. Every patient gets at least one, so medication searches return something.
 */
export function buildMedications(
  random: StoryRandom,
  conditions: readonly ConditionStory[],
  encounters: readonly EncounterStory[],
  referenceMs: number,
): MedicationStory[] {
  const medications: MedicationStory[] = [];
  const prescribe = (condition: ConditionStory, medicationKey: MedicationKey): void => {
    const encounter = encounters.find((candidate) => candidate.id === condition.encounterId);
    if (!encounter) throw new TypeError(`Condition ${condition.id} names an unknown encounter`);
    const written = condition.recorded + 30 * MINUTE_MS;
    const medication: MedicationStory = {
      ordinal: medications.length + 1,
      key: medicationKey,
      conditionId: condition.id,
      encounterId: encounter.id,
      prescriberId: encounter.practitionerId,
      written,
    };
    const ended = MEDICATIONS[medicationKey].course === 'short' ? written + SHORT_COURSE_DAYS * DAY_MS : condition.abatement;
    if (ended !== undefined && ended < referenceMs) medication.ended = ended;
    medications.push(medication);
  };

  for (const condition of conditions) {
    if (medications.length >= MAX_MEDICATIONS) break;
    if (!random.chance(0.85)) continue;
    const medicationKey = random.pick(CONDITIONS[condition.key].treatments);
    if (!medications.some((medication) => medication.key === medicationKey)) prescribe(condition, medicationKey);
  }
  const firstCondition = conditions[0];
  if (medications.length === 0 && firstCondition) prescribe(firstCondition, CONDITIONS[firstCondition.key].treatments[0]);
  return medications;
}
