import type { AllergenKey, ReactionKey } from '../codes/allergies.js';
import type { ConditionKey, ConditionSeverity } from '../codes/conditions.js';
import type { EncounterTypeKey } from '../codes/encounterTypes.js';
import type { MedicationKey } from '../codes/medications.js';
import type { EthnicityKey, RaceKey } from '../codes/raceAndEthnicity.js';

/**
 * One patient's clinical story, free of any FHIR version: the renderers turn it into DSTU2, STU3 or
 * R4 resources. Times are UTC milliseconds; ids are final resource ids within the tenant.
 */
export interface PatientStory {
  /** Zero-padded index ("000001") or a fixture id; every id of this patient carries it. */
  key: string;
  patientId: string;
  demographics: Demographics;
  /** Chronological; the last one holds the patient's current location. */
  encounters: EncounterStory[];
  vitalSigns: VitalSignsStory[];
  conditions: ConditionStory[];
  allergies: AllergyStory[];
  medications: MedicationStory[];
  coverage: CoverageStory;
}

export type Gender = 'male' | 'female';

export interface PersonName {
  prefix: string;
  given: string[];
  family: string;
}

export interface PostalAddress {
  line: string[];
  city: string;
  state: string;
  postalCode: string;
}

export interface Demographics {
  name: PersonName;
  gender: Gender;
  /** ISO date, kept as text so fixtures round-trip exactly. */
  birthDate: string;
  birthMs: number;
  mrn: string;
  phone: string;
  email: string;
  address: PostalAddress;
  generalPractitionerId: string;
  /** Self-reported race and ethnicity (OMB categories); only R4 (US Core) renders them. */
  race: RaceKey;
  ethnicity: EthnicityKey;
}

export interface EncounterStory {
  id: string;
  type: EncounterTypeKey;
  start: number;
  /** Absent while the patient is still there (an in-progress admission). */
  end?: number;
  locationId: string;
  practitionerId: string;
}

/** One set of vital signs taken during an encounter, in the units of codes/vitalSigns. */
export interface VitalSignsStory {
  encounterId: string;
  effective: number;
  heartRate: number;
  respiratoryRate: number;
  bodyTemperature: number;
  systolic: number;
  diastolic: number;
  bodyWeight: number;
  /** Height and BMI are measured at office visits only, as in real triage. */
  bodyHeight?: number;
  bodyMassIndex?: number;
  oxygenSaturation: number;
}

export interface ConditionStory {
  id: string;
  key: ConditionKey;
  encounterId: string;
  asserterId: string;
  onset: number;
  recorded: number;
  /** Set when the condition has resolved. */
  abatement?: number;
  severity: ConditionSeverity;
  verification: 'confirmed' | 'provisional';
}

export interface AllergyStory {
  id: string;
  key: AllergenKey;
  criticality: 'low' | 'high';
  reaction: ReactionKey;
  reactionSeverity: 'mild' | 'moderate' | 'severe';
  onset: number;
  recorded: number;
  recorderId: string;
  verification: 'confirmed' | 'unconfirmed';
  active: boolean;
  note: string;
}

export interface MedicationStory {
  /** 1-based; each version derives its own ids (MedicationOrder, or MedicationRequest + MedicationStatement). */
  ordinal: number;
  key: MedicationKey;
  conditionId: string;
  encounterId: string;
  prescriberId: string;
  written: number;
  /** Set when the course is over. */
  ended?: number;
}

export interface CoverageStory {
  id: string;
  payorId: string;
  planId: string;
  planDisplay: string;
  groupId: string;
  groupDisplay: string;
  subscriberId: string;
  start: number;
  end: number;
}
