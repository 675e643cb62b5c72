import { ALLERGEN_KEYS, ALLERGENS, type AllergenKey } from '../codes/allergies.js';
import { CONDITION_KEYS, CONDITIONS, type ConditionKey } from '../codes/conditions.js';
import type { FixturePatient } from '../fixtures/fixturePatient.js';
import type { ExtraPractitioner } from './buildProviderDirectory.js';
import type { StoryRequest } from './buildPatientStory.js';
import { StoryRandom } from './storyRandom.js';

/** A fixture as a story request: fixed demographics and codes, the rest drawn from the fixture's own seed. */
export function fixtureStoryRequest(fixture: FixturePatient, seed: number): StoryRequest {
  const request: StoryRequest = {
    key: fixture.id,
    patientId: fixture.id,
    seed,
    // Own MRN range (1xxxxxx), below the generated patients' (2xxxxxx).
    mrn: `1${new StoryRandom(seed).digits(6)}`,
    demographics: {
      name: fixture.name,
      gender: fixture.gender,
      birthDate: fixture.birthDate,
      mrn: fixture.mrn,
      generalPractitionerId: fixture.generalPractitioner?.id,
    },
    complete: true,
  };
  if (fixture.conditions) request.conditions = fixture.conditions.map(conditionKeyOf);
  if (fixture.allergies) request.allergies = fixture.allergies.map(allergenKeyOf);
  return request;
}

export function fixturePractitioner(fixture: FixturePatient): ExtraPractitioner | undefined {
  const gp = fixture.generalPractitioner;
  if (!gp) return undefined;
  return { id: gp.id, name: { prefix: gp.prefix ?? 'Dr', given: gp.given, family: gp.family }, gender: gp.gender };
}

function conditionKeyOf(code: string): ConditionKey {
  const key = CONDITION_KEYS.find((candidate) => CONDITIONS[candidate].concept.code === code);
  if (key === undefined) throw new TypeError(`Condition code ${code} is not in the vetted table; load fixtures with loadFixtures()`);
  return key;
}

function allergenKeyOf(code: string): AllergenKey {
  const key = ALLERGEN_KEYS.find((candidate) => ALLERGENS[candidate].concept.code === code);
  if (key === undefined) throw new TypeError(`Allergen code ${code} is not in the vetted table; load fixtures with loadFixtures()`);
  return key;
}
