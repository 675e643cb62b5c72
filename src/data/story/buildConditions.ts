import { CONDITION_KEYS, CONDITIONS, type ConditionKey, type ConditionSeverity } from '../codes/conditions.js';
import { patientResourceId } from '../ids.js';
import { ageInYears, DAY_MS, YEAR_MS } from './calendar.js';
import type { ConditionStory, Demographics, EncounterStory } from './patientStory.js';
import type { StoryRandom } from './storyRandom.js';

/**
 * Diagnoses recorded at the patient's encounters. Chronic conditions began some time before they
 * were recorded (never before birth, never before the age they occur at); acute ones resolve unless
 * they were found at the latest visit.
 */
export function buildConditions(
  random: StoryRandom,
  key: string,
  demographics: Demographics,
  encounters: readonly EncounterStory[],
  referenceMs: number,
  fixedKeys: readonly ConditionKey[] | undefined,
): ConditionStory[] {
  const chosen: Array<{ conditionKey: ConditionKey; encounter: EncounterStory }> = [];
  if (fixedKeys) {
    for (const conditionKey of fixedKeys) chosen.push({ conditionKey, encounter: random.pick(encounters) });
  } else {
    const age = ageInYears(demographics.birthMs, referenceMs);
    const count = age < 18 ? random.int(1, 2) : random.int(1, age < 50 ? 3 : 5);
    for (let attempt = 0; attempt < count * 3 && chosen.length < count; attempt++) {
      const encounter = random.pick(encounters);
      const ageThen = ageInYears(demographics.birthMs, encounter.start);
      const candidates = CONDITION_KEYS.filter(
        (candidate) =>
          CONDITIONS[candidate].minAge <= ageThen &&
          ageThen <= CONDITIONS[candidate].maxAge &&
          !chosen.some((entry) => entry.conditionKey === candidate),
      );
      if (candidates.length > 0) chosen.push({ conditionKey: random.pick(candidates), encounter });
    }
  }
  const lastEncounter = encounters[encounters.length - 1];
  return chosen.map(({ conditionKey, encounter }, index) => {
    const definition = CONDITIONS[conditionKey];
    const recorded = encounter.start;
    const condition: ConditionStory = {
      id: patientResourceId('cond', key, index + 1),
      key: conditionKey,
      encounterId: encounter.id,
      asserterId: encounter.practitionerId,
      onset: definition.course === 'chronic' ? chronicOnset(random, demographics.birthMs, definition.minAge, recorded) : acuteOnset(random, demographics.birthMs, recorded),
      recorded,
      severity: drawSeverity(random, definition.course),
      verification: random.chance(0.9) ? 'confirmed' : 'provisional',
    };
    if (definition.course === 'acute' && encounter !== lastEncounter) {
      const abatement = recorded + random.int(7, 21) * DAY_MS;
      if (abatement < referenceMs) condition.abatement = abatement;
    }
    return condition;
  });
}

function chronicOnset(random: StoryRandom, birthMs: number, minAge: number, recorded: number): number {
  const earliest = Math.max(birthMs + minAge * YEAR_MS, recorded - 10 * YEAR_MS, birthMs);
  return earliest >= recorded ? recorded : earliest + random.next() * (recorded - earliest);
}

function acuteOnset(random: StoryRandom, birthMs: number, recorded: number): number {
  return Math.max(birthMs, recorded - random.between(0, 4) * DAY_MS);
}

function drawSeverity(random: StoryRandom, course: 'chronic' | 'acute'): ConditionSeverity {
  const draw = random.next();
  if (draw < 0.5) return 'mild';
  if (draw < 0.85 || course === 'acute') return 'moderate';
  return 'severe';
}
