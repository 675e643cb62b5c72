import { ageInYears, formatDate, parseIsoDate, startOfDay, YEAR_MS } from './calendar.js';
import { fictionalEmail, fictionalPhone } from './contactDetails.js';
import { drawRaceAndEthnicity } from './drawRaceAndEthnicity.js';
import type { Demographics, Gender, PersonName } from './patientStory.js';
import type { StoryContext } from './storyContext.js';
import type { StoryRandom } from './storyRandom.js';

/** Demographics a fixture pins; whatever it leaves out is drawn. */
export interface FixedDemographics {
  name: { prefix?: string; given: string[]; family: string };
  gender: Gender;
  birthDate: string;
  mrn?: string;
  generalPractitionerId?: string;
}

const CHILD_SHARE = 0.15;

export function buildDemographics(
  random: StoryRandom,
  context: StoryContext,
  request: { seed: number; mrn: string },
  fixed: FixedDemographics | undefined,
): Demographics {
  const gender: Gender = fixed?.gender ?? (random.chance(0.5) ? 'female' : 'male');
  const birthDate = fixed?.birthDate ?? formatDate(startOfDay(context.referenceMs - drawAgeYears(random) * YEAR_MS));
  const birthMs = parseIsoDate(birthDate);
  const isAdult = ageInYears(birthMs, context.referenceMs) >= 18;
  const name: PersonName = fixed
    ? { prefix: fixed.name.prefix ?? defaultPrefix(gender, isAdult, random), given: fixed.name.given, family: fixed.name.family }
    : drawName(random, context, gender, isAdult);
  return {
    name,
    gender,
    birthDate,
    birthMs,
    mrn: fixed?.mrn ?? request.mrn,
    phone: fictionalPhone(random),
    email: fictionalEmail(name.given[0] ?? name.family, name.family, random),
    address: random.pick(context.pools.addresses),
    generalPractitionerId: fixed?.generalPractitionerId ?? random.pick(context.directory.generalPractitionerIds),
    ...drawRaceAndEthnicity(request.seed),
  };
}

/** A population with some children and adults up to ninety. */
function drawAgeYears(random: StoryRandom): number {
  return random.chance(CHILD_SHARE) ? random.between(0.05, 18) : random.between(18, 90);
}

function drawName(random: StoryRandom, context: StoryContext, gender: Gender, isAdult: boolean): PersonName {
  const givenPool = gender === 'female' ? context.pools.femaleGivenNames : context.pools.maleGivenNames;
  const given = [random.pick(givenPool)];
  if (random.chance(0.4)) given.push(`${random.pick(givenPool).charAt(0)}.`);
  return { prefix: defaultPrefix(gender, isAdult, random), given, family: random.pick(context.pools.familyNames) };
}

function defaultPrefix(gender: Gender, isAdult: boolean, random: StoryRandom): string {
  if (gender === 'male') return isAdult ? 'Mr' : 'Master';
  if (!isAdult) return 'Miss';
  return random.chance(0.5) ? 'Mrs' : 'Ms';
}
