import { rxnorm, type Concept } from './concept.js';

export interface MedicationDefinition {
  readonly concept: Concept;
  readonly dosageText: string;
  /** Short courses (antibiotics, analgesics) end; maintenance drugs stay active. */
  readonly course: 'short' | 'maintenance';
}

function medication(code: string, display: string, dosageText: string, course: MedicationDefinition['course']): MedicationDefinition {
  return { concept: rxnorm(code, display), dosageText, course };
}

/** RxNorm clinical drugs (SCD) with their RxNorm names as displays. */
export const MEDICATIONS = {
  lisinopril: medication('314076', 'lisinopril 10 MG Oral Tablet', 'Take 1 tablet by mouth once daily', 'maintenance'),
  amlodipine: medication('197361', 'amlodipine 5 MG Oral Tablet', 'Take 1 tablet by mouth once daily', 'maintenance'),
  hydrochlorothiazide: medication('310798', 'Hydrochlorothiazide 25 MG Oral Tablet', 'Take 1 tablet by mouth every morning', 'maintenance'),
  metformin: medication(
    '860975',
    '24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet',
    'Take 1 tablet by mouth once daily with the evening meal',
    'maintenance',
  ),
  simvastatin: medication('312961', 'Simvastatin 20 MG Oral Tablet', 'Take 1 tablet by mouth at bedtime', 'maintenance'),
  atorvastatin: medication('259255', 'Atorvastatin 80 MG Oral Tablet', 'Take 1 tablet by mouth once daily', 'maintenance'),
  albuterol: medication(
    '745679',
    '200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler',
    'Inhale 2 puffs every 4 to 6 hours as needed for shortness of breath',
    'maintenance',
  ),
  fluticasone: medication(
    '895994',
    '120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler',
    'Inhale 2 puffs twice daily',
    'maintenance',
  ),
  warfarin: medication('855332', 'Warfarin Sodium 5 MG Oral Tablet', 'Take 1 tablet by mouth once daily in the evening', 'maintenance'),
  clopidogrel: medication('309362', 'Clopidogrel 75 MG Oral Tablet', 'Take 1 tablet by mouth once daily', 'maintenance'),
  aspirin: medication('243670', 'aspirin 81 MG Oral Tablet', 'Take 1 tablet by mouth once daily', 'maintenance'),
  metoprolol: medication('866924', 'Metoprolol Tartrate 25 MG Oral Tablet', 'Take 1 tablet by mouth twice daily', 'maintenance'),
  furosemide: medication('313988', 'Furosemide 40 MG Oral Tablet', 'Take 1 tablet by mouth every morning', 'maintenance'),
  levothyroxine: medication(
    '966222',
    'Levothyroxine Sodium 0.075 MG Oral Tablet',
    'Take 1 tablet by mouth every morning on an empty stomach',
    'maintenance',
  ),
  sertraline: medication('312938', 'Sertraline 50 MG Oral Tablet', 'Take 1 tablet by mouth once daily', 'maintenance'),
  donepezil: medication('997224', 'Donepezil hydrochloride 10 MG Oral Tablet', 'Take 1 tablet by mouth at bedtime', 'maintenance'),
  ferrousSulfate: medication('310325', 'Ferrous sulfate 325 MG Oral Tablet', 'Take 1 tablet by mouth once daily', 'maintenance'),
  cetirizine: medication('1014676', 'cetirizine hydrochloride 5 MG Oral Tablet', 'Take 1 tablet by mouth once daily as needed for allergy symptoms', 'maintenance'),
  prednisone: medication('312617', 'predniSONE 5 MG Oral Tablet', 'Take 2 tablets by mouth once daily for 5 days', 'short'),
  amoxicillin: medication('308182', 'Amoxicillin 250 MG Oral Capsule', 'Take 1 capsule by mouth three times daily for 10 days', 'short'),
  penicillinV: medication('834060', 'Penicillin V Potassium 250 MG Oral Tablet', 'Take 1 tablet by mouth four times daily for 10 days', 'short'),
  nitrofurantoin: medication('311989', 'Nitrofurantoin 5 MG/ML Oral Suspension', 'Take 10 mL by mouth four times daily for 7 days', 'short'),
  acetaminophen: medication('313782', 'Acetaminophen 325 MG Oral Tablet', 'Take 2 tablets by mouth every 6 hours as needed for pain', 'short'),
  acetaminophenChewable: medication(
    '313820',
    'Acetaminophen 160 MG Chewable Tablet',
    'Chew 1 tablet every 6 hours as needed for fever or pain',
    'short',
  ),
  ibuprofen: medication('310965', 'Ibuprofen 200 MG Oral Tablet', 'Take 1 tablet by mouth every 6 hours as needed for pain', 'short'),
} as const satisfies Record<string, MedicationDefinition>;

export type MedicationKey = keyof typeof MEDICATIONS;

const MEDICATIONS_BY_CODE: ReadonlyMap<string, MedicationDefinition> = new Map(
  Object.values(MEDICATIONS).map((definition) => [definition.concept.code, definition]),
);

export function medicationByCode(rxnormCode: string): MedicationDefinition | undefined {
  return MEDICATIONS_BY_CODE.get(rxnormCode);
}
