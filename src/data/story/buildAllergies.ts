import { ALLERGEN_KEYS, ALLERGENS, REACTIONS, type AllergenKey } from '../codes/allergies.js';
import { patientResourceId } from '../ids.js';
import { YEAR_MS } from './calendar.js';
import type { AllergyStory, Demographics, EncounterStory } from './patientStory.js';
import type { StoryRandom } from './storyRandom.js';

/** Allergies noted at an encounter; many patients have none, fixtures ask for at least one. */
export function buildAllergies(
  random: StoryRandom,
  key: string,
  demographics: Demographics,
  encounters: readonly EncounterStory[],
  options: { fixedKeys: readonly AllergenKey[] | undefined; atLeastOne: boolean },
): AllergyStory[] {
  const keys = options.fixedKeys ?? random.sample(ALLERGEN_KEYS, drawCount(random, options.atLeastOne));
  return keys.map((allergenKey, index) => {
    const allergen = ALLERGENS[allergenKey];
    const encounter = random.pick(encounters);
    const reaction = random.pick(allergen.manifestations);
    const anaphylactic = reaction === 'anaphylaxis';
    const recorded = encounter.start;
    return {
      id: patientResourceId('alg', key, index + 1),
      key: allergenKey,
      criticality: anaphylactic ? 'high' : 'low',
      reaction,
      reactionSeverity: anaphylactic ? 'severe' : random.chance(0.6) ? 'mild' : 'moderate',
      onset: Math.max(demographics.birthMs, recorded - random.between(0, 5) * YEAR_MS),
      recorded,
      recorderId: encounter.practitionerId,
      verification: random.chance(0.85) ? 'confirmed' : 'unconfirmed',
      active: random.chance(0.9),
      note: `${REACTIONS[reaction].display} after exposure to ${allergen.substanceText.toLowerCase()}.`,
    };
  });
}

function drawCount(random: StoryRandom, atLeastOne: boolean): number {
  const draw = random.next();
  const count = draw < 0.3 ? 0 : draw < 0.7 ? 1 : draw < 0.92 ? 2 : 3;
  return atLeastOne ? Math.max(1, count) : count;
}
