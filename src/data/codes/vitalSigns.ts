import { loinc, type Concept } from './concept.js';

/** A UCUM unit: `code` is the machine form, `unit` the human one. */
export interface UcumUnit {
  readonly unit: string;
  readonly code: string;
}

export interface VitalSignDefinition {
  readonly concept: Concept;
  readonly unit: UcumUnit;
  /** Decimal places the value is recorded with. */
  readonly decimals: number;
}

export type VitalSignKind =
  | 'heartRate'
  | 'respiratoryRate'
  | 'bodyTemperature'
  | 'bodyWeight'
  | 'bodyHeight'
  | 'bodyMassIndex'
  | 'oxygenSaturation';

/** LOINC codes and displays of the FHIR vital-signs profile; UCUM units as the profile requires. */
export const VITAL_SIGNS: Readonly<Record<VitalSignKind, VitalSignDefinition>> = {
  heartRate: { concept: loinc('8867-4', 'Heart rate'), unit: { unit: 'beats/minute', code: '/min' }, decimals: 0 },
  respiratoryRate: { concept: loinc('9279-1', 'Respiratory rate'), unit: { unit: 'breaths/minute', code: '/min' }, decimals: 0 },
  bodyTemperature: { concept: loinc('8310-5', 'Body temperature'), unit: { unit: 'C', code: 'Cel' }, decimals: 1 },
  bodyWeight: { concept: loinc('29463-7', 'Body weight'), unit: { unit: 'kg', code: 'kg' }, decimals: 1 },
  bodyHeight: { concept: loinc('8302-2', 'Body height'), unit: { unit: 'cm', code: 'cm' }, decimals: 1 },
  bodyMassIndex: { concept: loinc('39156-5', 'Body mass index (BMI) [Ratio]'), unit: { unit: 'kg/m2', code: 'kg/m2' }, decimals: 1 },
  oxygenSaturation: {
    concept: loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
    unit: { unit: '%', code: '%' },
    decimals: 0,
  },
};

/**
 * R4's oxygen-saturation profile asks for this code beside the pulse oximetry one (59408-5), which
 * US Core's pulse oximetry profile asks for: R4 codes the observation with both.
 */
export const ARTERIAL_OXYGEN_SATURATION: Concept = loinc('2708-6', 'Oxygen saturation in Arterial blood');

/** The blood pressure panel carries no value of its own, only the two components. */
export const BLOOD_PRESSURE_PANEL: Concept = loinc('85354-9', 'Blood pressure panel with all children optional');

export const BLOOD_PRESSURE_COMPONENTS: Readonly<Record<'systolic' | 'diastolic', VitalSignDefinition>> = {
  systolic: { concept: loinc('8480-6', 'Systolic blood pressure'), unit: { unit: 'mmHg', code: 'mm[Hg]' }, decimals: 0 },
  diastolic: { concept: loinc('8462-4', 'Diastolic blood pressure'), unit: { unit: 'mmHg', code: 'mm[Hg]' }, decimals: 0 },
};

export const VITAL_SIGNS_CATEGORY: Concept = {
  system: 'http://hl7.org/fhir/observation-category',
  code: 'vital-signs',
  display: 'Vital Signs',
};
