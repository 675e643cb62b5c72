import type { ConditionKey } from '../codes/conditions.js';
import { ENCOUNTER_TYPES } from '../codes/encounterTypes.js';
import { ageInYears, MINUTE_MS } from './calendar.js';
import type { ConditionStory, Demographics, EncounterStory, VitalSignsStory } from './patientStory.js';
import { HYPERTENSIVE_PRESSURES, medianChildBmi, medianHeightCm, normalVitalRanges, type Range } from './physiology.js';
import type { StoryRandom } from './storyRandom.js';

const MEASURED_ENCOUNTERS = 3;
const LUNG_DISEASES: readonly ConditionKey[] = ['copd', 'pneumonia'];

/**
 * Vital signs at the most recent encounters. Each patient has a personal baseline (where in the
 * normal range they sit, their build) so the values over time belong to one body and fit its age.
 */
export function buildVitalSigns(
  random: StoryRandom,
  demographics: Demographics,
  encounters: readonly EncounterStory[],
  conditions: readonly ConditionStory[],
): VitalSignsStory[] {
  const baseline = {
    heartRate: random.between(0.2, 0.8),
    respiratoryRate: random.between(0.2, 0.8),
    pressure: random.between(0.2, 0.8),
    temperature: random.between(36.4, 37.0),
    heightFactor: random.between(0.94, 1.06),
    childBmiFactor: random.between(0.9, 1.15),
    adultBmi: random.between(19.5, 34),
  };
  // A condition shows in the measurements only while the patient has it.
  const hasAt = (keys: readonly ConditionKey[], at: number): boolean =>
    conditions.some((condition) => keys.includes(condition.key) && condition.onset <= at && (condition.abatement ?? Infinity) > at);
  return encounters.slice(-MEASURED_ENCOUNTERS).map((encounter) => {
    const effective = encounter.start + 10 * MINUTE_MS;
    const age = ageInYears(demographics.birthMs, effective);
    const ranges = normalVitalRanges(age);
    const pressures = age >= 18 && hasAt(['essentialHypertension'], effective) ? HYPERTENSIVE_PRESSURES : ranges;
    const jitter = (position: number): number => clamp(position + random.between(-0.15, 0.15), 0, 1);
    const pressurePosition = jitter(baseline.pressure);
    const systolic = Math.round(within(pressures.systolic, pressurePosition));
    const diastolic = Math.min(Math.round(within(pressures.diastolic, pressurePosition)), systolic - 25);
    const bodyHeight = round1(medianHeightCm(demographics.gender, age) * baseline.heightFactor);
    const bmiTarget = age < 18 ? medianChildBmi(age) * baseline.childBmiFactor : baseline.adultBmi + random.between(-0.6, 0.6);
    const bodyWeight = round1(bmiTarget * (bodyHeight / 100) ** 2);
    const vitals: VitalSignsStory = {
      encounterId: encounter.id,
      effective,
      heartRate: Math.round(within(ranges.heartRate, jitter(baseline.heartRate))),
      respiratoryRate: Math.round(within(ranges.respiratoryRate, jitter(baseline.respiratoryRate))),
      bodyTemperature: round1(baseline.temperature + random.between(-0.3, 0.4)),
      systolic,
      diastolic,
      bodyWeight,
      oxygenSaturation: hasAt(LUNG_DISEASES, effective) ? random.int(90, 95) : random.int(96, 100),
    };
    if (ENCOUNTER_TYPES[encounter.type].setting === 'ambulatory') {
      vitals.bodyHeight = bodyHeight;
      vitals.bodyMassIndex = round1(bodyWeight / (bodyHeight / 100) ** 2);
    }
    return vitals;
  });
}

function within(range: Range, position: number): number {
  return range.min + position * (range.max - range.min);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
