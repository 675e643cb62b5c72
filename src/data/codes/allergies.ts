import { snomed, rxnorm, type Concept } from './concept.js';

export type AllergyCategory = 'food' | 'medication' | 'environment';

export interface AllergenDefinition {
  /** What the allergy is to; STU3 AllergyIntolerance.code, DSTU2 AllergyIntolerance.substance. */
  readonly concept: Concept;
  /** The plain word a clinician writes (substance.text / code.text). */
  readonly substanceText: string;
  readonly category: AllergyCategory;
  /** Manifestations that fit this allergen, most typical first. */
  readonly manifestations: readonly ReactionKey[];
}

/** SNOMED clinical findings for reactions. */
export const REACTIONS = {
  urticaria: snomed('126485001', 'Urticaria'),
  anaphylaxis: snomed('39579001', 'Anaphylaxis'),
  skinEruption: snomed('271807003', 'Eruption of skin'),
  itching: snomed('418290006', 'Itching'),
  dyspnea: snomed('267036007', 'Dyspnea'),
  nausea: snomed('422587007', 'Nausea'),
  cough: snomed('49727002', 'Cough'),
  sneezing: snomed('76067001', 'Sneezing'),
  nasalDischarge: snomed('64531003', 'Nasal discharge'),
  conjunctivitis: snomed('9826008', 'Conjunctivitis'),
  eczema: snomed('43116000', 'Eczema'),
} as const satisfies Record<string, Concept>;

export type ReactionKey = keyof typeof REACTIONS;

/** Allergens: drugs by RxNorm ingredient, everything else by SNOMED allergy finding. */
export const ALLERGENS = {
  penicillin: {
    concept: rxnorm('7980', 'Penicillin G'),
    substanceText: 'Penicillin',
    category: 'medication',
    manifestations: ['urticaria', 'skinEruption', 'anaphylaxis'],
  },
  peanuts: {
    concept: snomed('91935009', 'Allergy to peanuts'),
    substanceText: 'Peanuts',
    category: 'food',
    manifestations: ['urticaria', 'anaphylaxis', 'nausea'],
  },
  eggs: {
    concept: snomed('91930004', 'Allergy to eggs'),
    substanceText: 'Eggs',
    category: 'food',
    manifestations: ['eczema', 'urticaria', 'nausea'],
  },
  fish: {
    concept: snomed('417532002', 'Allergy to fish'),
    substanceText: 'Fish',
    category: 'food',
    manifestations: ['urticaria', 'nausea', 'dyspnea'],
  },
  shellfish: {
    concept: snomed('300913006', 'Shellfish allergy'),
    substanceText: 'Shellfish',
    category: 'food',
    manifestations: ['urticaria', 'anaphylaxis', 'dyspnea'],
  },
  latex: {
    concept: snomed('300916003', 'Latex allergy'),
    substanceText: 'Latex',
    category: 'environment',
    manifestations: ['skinEruption', 'itching', 'urticaria'],
  },
  grassPollen: {
    concept: snomed('418689008', 'Allergy to grass pollen'),
    substanceText: 'Grass pollen',
    category: 'environment',
    manifestations: ['sneezing', 'nasalDischarge', 'conjunctivitis'],
  },
  houseDustMite: {
    concept: snomed('232350006', 'House dust mite allergy'),
    substanceText: 'House dust mite',
    category: 'environment',
    manifestations: ['sneezing', 'cough', 'nasalDischarge'],
  },
  animalDander: {
    concept: snomed('232347008', 'Dander (animal) allergy'),
    substanceText: 'Animal dander',
    category: 'environment',
    manifestations: ['sneezing', 'itching', 'dyspnea'],
  },
} as const satisfies Record<string, AllergenDefinition>;

export type AllergenKey = keyof typeof ALLERGENS;

export const ALLERGEN_KEYS = Object.keys(ALLERGENS) as AllergenKey[];
