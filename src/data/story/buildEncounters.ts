import { ENCOUNTER_TYPES, type EncounterTypeKey } from '../codes/encounterTypes.js';
import { patientResourceId } from '../ids.js';
import { ageInYears, DAY_MS, HOUR_MS, MINUTE_MS, startOfDay, YEAR_MS } from './calendar.js';
import type { Demographics, EncounterStory } from './patientStory.js';
import type { StoryContext } from './storyContext.js';
import type { StoryRandom } from './storyRandom.js';

const HISTORY_YEARS = 3;
const FIVE_MINUTES = 5 * MINUTE_MS;

/**
 * Visits spread over the last few years (never before birth), one per time slot so periods never
 * overlap and come out in chronological order. The last one may still be going on.
 */
export function buildEncounters(random: StoryRandom, context: StoryContext, key: string, demographics: Demographics): EncounterStory[] {
  const count = random.int(3, 6);
  const windowStart = Math.max(demographics.birthMs + HOUR_MS, context.referenceMs - HISTORY_YEARS * YEAR_MS);
  const windowEnd = context.referenceMs - HOUR_MS;
  const slot = (windowEnd - windowStart) / count;
  const isChild = ageInYears(demographics.birthMs, context.referenceMs) < 18;
  const encounters: EncounterStory[] = [];
  for (let index = 0; index < count; index++) {
    const isLast = index === count - 1;
    const type = drawEncounterType(random, isChild, isLast);
    const setting = ENCOUNTER_TYPES[type].setting;
    const slotStart = windowStart + index * slot;
    const inProgress = isLast && setting === 'inpatient' && random.chance(0.4);
    const drawn = inProgress
      ? Math.max(slotStart, windowEnd - random.between(0.5, 4) * DAY_MS)
      : slotStart + random.next() * slot * 0.4;
    const start = roundDown(setting === 'ambulatory' ? duringOfficeHours(drawn, slotStart, random) : drawn);
    // Ends well before the next slot begins, so periods never overlap.
    const duration = Math.min(drawDuration(random, setting), slotStart + slot * 0.95 - start);
    const practitionerId =
      type === 'checkUp' || type === 'wellChildVisit'
        ? demographics.generalPractitionerId
        : random.pick(context.directory.staffPractitionerIds);
    const encounter: EncounterStory = {
      id: patientResourceId('enc', key, index + 1),
      type,
      start,
      locationId: random.pick(context.directory.locationsBySetting[setting]).id,
      practitionerId,
    };
    if (!inProgress) encounter.end = Math.max(start + MINUTE_MS, roundDown(start + duration));
    encounters.push(encounter);
  }
  return encounters;
}

function drawEncounterType(random: StoryRandom, isChild: boolean, isLast: boolean): EncounterTypeKey {
  const draw = random.next();
  const inpatientShare = isLast ? 0.25 : 0.1;
  if (draw < inpatientShare) return 'hospitalAdmission';
  if (draw < inpatientShare + 0.15) return 'emergencyRoomAdmission';
  if (draw < inpatientShare + 0.45) return 'symptomVisit';
  if (draw < inpatientShare + 0.6 && !isChild) return 'followUp';
  return isChild ? 'wellChildVisit' : 'checkUp';
}

function drawDuration(random: StoryRandom, setting: 'ambulatory' | 'emergency' | 'inpatient'): number {
  if (setting === 'ambulatory') return random.between(20, 60) * MINUTE_MS;
  if (setting === 'emergency') return random.between(2, 8) * HOUR_MS;
  return random.between(1, 6) * DAY_MS;
}

/** Office visits happen between 08:00 and 17:00 (UTC), on the drawn day or the next. */
function duringOfficeHours(drawn: number, earliest: number, random: StoryRandom): number {
  const sameDay = startOfDay(drawn) + random.between(8, 17) * HOUR_MS;
  return sameDay >= earliest ? sameDay : sameDay + DAY_MS;
}

function roundDown(ms: number): number {
  return ms - (ms % FIVE_MINUTES);
}
