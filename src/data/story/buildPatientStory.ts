import type { AllergenKey } from '../codes/allergies.js';
import type { ConditionKey } from '../codes/conditions.js';
import { buildAllergies } from './buildAllergies.js';
import { buildConditions } from './buildConditions.js';
import { buildCoverage } from './buildCoverage.js';
import { buildDemographics, type FixedDemographics } from './buildDemographics.js';
import { buildEncounters } from './buildEncounters.js';
import { buildMedications } from './buildMedications.js';
import { buildVitalSigns } from './buildVitalSigns.js';
import type { PatientStory } from './patientStory.js';
import type { StoryContext } from './storyContext.js';
import { StoryRandom } from './storyRandom.js';

/** Who the story is about; fixtures pin some of it, everything else is drawn from `seed`. */
export interface StoryRequest {
  key: string;
  patientId: string;
  seed: number;
  /** The MRN to use unless the fixed demographics carry one. */
  mrn: string;
  demographics?: FixedDemographics;
  conditions?: readonly ConditionKey[];
  allergies?: readonly AllergenKey[];
  /** Ask for at least one allergy, so every search the spec shows finds something. */
  complete?: boolean;
}

export function buildPatientStory(request: StoryRequest, context: StoryContext): PatientStory {
  const random = new StoryRandom(request.seed);
  const { key } = request;
  const demographics = buildDemographics(random, context, request, request.demographics);
  const encounters = buildEncounters(random, context, key, demographics);
  const conditions = buildConditions(random, key, demographics, encounters, context.referenceMs, request.conditions);
  return {
    key,
    patientId: request.patientId,
    demographics,
    encounters,
    vitalSigns: buildVitalSigns(random, demographics, encounters, conditions),
    conditions,
    allergies: buildAllergies(random, key, demographics, encounters, {
      fixedKeys: request.allergies,
      atLeastOne: request.complete ?? false,
    }),
    medications: buildMedications(random, conditions, encounters, context.referenceMs),
    coverage: buildCoverage(random, context, key, demographics),
  };
}

/**
 * The general practitioner buildPatientStory would give the request, without the rest of the
 * story: demographics are drawn first from the story's random stream, so they come out the same.
 */
export function generalPractitionerOf(request: StoryRequest, context: StoryContext): string {
  return buildDemographics(new StoryRandom(request.seed), context, request, request.demographics).generalPractitionerId;
}
