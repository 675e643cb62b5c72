import { snomed, type Concept } from './concept.js';

/** How a visit happened; each version codes it differently (DSTU2 a code, STU3 a v3 ActCode Coding). */
export type EncounterSetting = 'ambulatory' | 'emergency' | 'inpatient';

export interface EncounterTypeDefinition {
  readonly concept: Concept;
  readonly setting: EncounterSetting;
}

/** SNOMED procedure codes for encounter types, preferred terms as displays. */
export const ENCOUNTER_TYPES = {
  checkUp: { concept: snomed('185349003', 'Encounter for check up'), setting: 'ambulatory' },
  wellChildVisit: { concept: snomed('410620009', 'Well child visit'), setting: 'ambulatory' },
  symptomVisit: { concept: snomed('185345009', 'Encounter for symptom'), setting: 'ambulatory' },
  followUp: { concept: snomed('390906007', 'Follow-up encounter'), setting: 'ambulatory' },
  emergencyRoomAdmission: { concept: snomed('50849002', 'Emergency room admission'), setting: 'emergency' },
  hospitalAdmission: { concept: snomed('32485007', 'Hospital admission'), setting: 'inpatient' },
} as const satisfies Record<string, EncounterTypeDefinition>;

export type EncounterTypeKey = keyof typeof ENCOUNTER_TYPES;
