import { snomed, type Concept } from './concept.js';
import type { MedicationKey } from './medications.js';

export interface ConditionDefinition {
  readonly concept: Concept;
  /** Chronic conditions stay active; acute ones resolve after a few weeks unless they are current. */
  readonly course: 'chronic' | 'acute';
  /** Age range (years, at diagnosis) in which the condition is plausible. */
  readonly minAge: number;
  readonly maxAge: number;
  /** First choice first; a child gets the first one that suits children. */
  readonly treatments: readonly MedicationKey[];
}

function condition(
  code: string,
  display: string,
  course: ConditionDefinition['course'],
  ages: readonly [number, number],
  treatments: readonly MedicationKey[],
): ConditionDefinition {
  return { concept: snomed(code, display), course, minAge: ages[0], maxAge: ages[1], treatments };
}

/** SNOMED CT disorders with their preferred terms as displays. */
export const CONDITIONS = {
  essentialHypertension: condition('59621000', 'Essential hypertension', 'chronic', [25, 120], ['lisinopril', 'amlodipine', 'hydrochlorothiazide']),
  diabetesType2: condition('44054006', 'Diabetes mellitus type 2', 'chronic', [30, 120], ['metformin']),
  hyperlipidemia: condition('55822004', 'Hyperlipidemia', 'chronic', [30, 120], ['simvastatin', 'atorvastatin']),
  asthma: condition('195967001', 'Asthma', 'chronic', [3, 120], ['albuterol', 'fluticasone']),
  copd: condition('13645005', 'Chronic obstructive lung disease', 'chronic', [45, 120], ['albuterol', 'fluticasone']),
  atrialFibrillation: condition('49436004', 'Atrial fibrillation', 'chronic', [50, 120], ['warfarin', 'metoprolol']),
  coronaryArteriosclerosis: condition('53741008', 'Coronary arteriosclerosis', 'chronic', [45, 120], ['clopidogrel', 'aspirin']),
  congestiveHeartFailure: condition('42343007', 'Congestive heart failure', 'chronic', [55, 120], ['furosemide', 'metoprolol']),
  hypothyroidism: condition('40930008', 'Hypothyroidism', 'chronic', [20, 120], ['levothyroxine']),
  depressiveDisorder: condition('35489007', 'Depressive disorder', 'chronic', [14, 120], ['sertraline']),
  alzheimersDisease: condition('26929004', "Alzheimer's disease", 'chronic', [65, 120], ['donepezil']),
  anemia: condition('271737000', 'Anemia', 'chronic', [1, 120], ['ferrousSulfate']),
  osteoarthritis: condition('396275006', 'Osteoarthritis', 'chronic', [45, 120], ['acetaminophen', 'ibuprofen']),
  allergicRhinitis: condition('61582004', 'Allergic rhinitis', 'chronic', [4, 120], ['cetirizine']),
  viralSinusitis: condition('444814009', 'Viral sinusitis', 'acute', [2, 120], ['acetaminophen']),
  acuteViralPharyngitis: condition('195662009', 'Acute viral pharyngitis', 'acute', [1, 120], ['acetaminophenChewable', 'acetaminophen']),
  streptococcalSoreThroat: condition('43878008', 'Streptococcal sore throat', 'acute', [3, 120], ['penicillinV', 'amoxicillin']),
  acuteBronchitis: condition('10509002', 'Acute bronchitis', 'acute', [1, 120], ['acetaminophen']),
  otitisMedia: condition('65363002', 'Otitis media', 'acute', [0, 12], ['amoxicillin']),
  urinaryTractInfection: condition('68566005', 'Urinary tract infectious disease', 'acute', [2, 120], ['nitrofurantoin']),
  pneumonia: condition('233604007', 'Pneumonia', 'acute', [0, 120], ['amoxicillin', 'prednisone']),
} as const satisfies Record<string, ConditionDefinition>;

export type ConditionKey = keyof typeof CONDITIONS;

export const CONDITION_KEYS = Object.keys(CONDITIONS) as ConditionKey[];

/** SNOMED severity qualifiers used by both versions' Condition.severity. */
export const CONDITION_SEVERITIES = {
  mild: snomed('255604002', 'Mild'),
  moderate: snomed('6736007', 'Moderate'),
  severe: snomed('24484000', 'Severe'),
} as const satisfies Record<string, Concept>;

export type ConditionSeverity = keyof typeof CONDITION_SEVERITIES;
