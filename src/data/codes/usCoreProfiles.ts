import type { VitalSignKind } from './vitalSigns.js';

/**
 * The profiles R4 data is written to satisfy: US Core 3.1.1 where it has one for the resource, and
 * for vital signs the FHIR R4 vital-signs profiles US Core 3.1.1 builds on (its own for pulse
 * oximetry). Coverage and MedicationStatement have no US Core 3.1.1 profile.
 */
const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';
const FHIR_CORE = 'http://hl7.org/fhir/StructureDefinition';

export const US_CORE_PROFILES = {
  patient: `${US_CORE}/us-core-patient`,
  condition: `${US_CORE}/us-core-condition`,
  allergyIntolerance: `${US_CORE}/us-core-allergyintolerance`,
  encounter: `${US_CORE}/us-core-encounter`,
  medicationRequest: `${US_CORE}/us-core-medicationrequest`,
  practitioner: `${US_CORE}/us-core-practitioner`,
  organization: `${US_CORE}/us-core-organization`,
  location: `${US_CORE}/us-core-location`,
} as const;

export const US_CORE_EXTENSIONS = {
  race: `${US_CORE}/us-core-race`,
  ethnicity: `${US_CORE}/us-core-ethnicity`,
  birthSex: `${US_CORE}/us-core-birthsex`,
} as const;

export const VITAL_SIGN_PROFILES: Readonly<Record<VitalSignKind | 'bloodPressure', string>> = {
  heartRate: `${FHIR_CORE}/heartrate`,
  respiratoryRate: `${FHIR_CORE}/resprate`,
  bodyTemperature: `${FHIR_CORE}/bodytemp`,
  bodyWeight: `${FHIR_CORE}/bodyweight`,
  bodyHeight: `${FHIR_CORE}/bodyheight`,
  bodyMassIndex: `${FHIR_CORE}/bmi`,
  oxygenSaturation: `${US_CORE}/us-core-pulse-oximetry`,
  bloodPressure: `${FHIR_CORE}/bp`,
};
