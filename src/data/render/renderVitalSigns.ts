import type { Resource } from '../../fhir/types.js';
import type { Concept } from '../codes/concept.js';
import { R4_CODE_SYSTEMS } from '../codes/r4CodeSystems.js';
import { VITAL_SIGN_PROFILES } from '../codes/usCoreProfiles.js';
import {
  ARTERIAL_OXYGEN_SATURATION,
  BLOOD_PRESSURE_COMPONENTS,
  BLOOD_PRESSURE_PANEL,
  VITAL_SIGNS,
  VITAL_SIGNS_CATEGORY,
  type VitalSignKind,
} from '../codes/vitalSigns.js';
import { patientResourceId } from '../ids.js';
import { formatDateTime } from '../story/calendar.js';
import type { PatientStory, VitalSignsStory } from '../story/patientStory.js';
import { codeableConcept, profiledMeta, quantity, reference, type CodeableConcept } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

/** The single-value vital signs of a set, in the order they are rendered (blood pressure comes after). */
const SINGLE_VALUE_SIGNS: readonly VitalSignKind[] = [
  'heartRate',
  'respiratoryRate',
  'bodyTemperature',
  'oxygenSaturation',
  'bodyHeight',
  'bodyWeight',
  'bodyMassIndex',
];

const R4_VITAL_SIGNS_CATEGORY: Concept = { ...VITAL_SIGNS_CATEGORY, system: R4_CODE_SYSTEMS.observationCategory };

/**
 * One Observation per vital sign, the blood pressure as a panel with two components.
 * DSTU2 has one category, STU3 and R4 a list of them. R4 writes the FHIR vital-signs profiles
 * (US Core 3.1.1's for pulse oximetry), each named in meta.profile, with the codes they ask for.
 * `firstOrdinal` numbers the ids across all of the patient's sets; signs not measured are skipped.
 */
export function renderVitalSigns(vitals: VitalSignsStory, firstOrdinal: number, story: PatientStory, context: RenderContext): Resource[] {
  const effectiveDateTime = formatDateTime(vitals.effective);
  let ordinal = firstOrdinal;
  // The encounter is left out on purpose: it would add a tenth to the tenant's largest resource kind.
  const observation = (kind: VitalSignKind | 'bloodPressure', code: CodeableConcept): Resource => ({
    resourceType: 'Observation',
    id: patientResourceId('obs', story.key, ordinal++),
    meta: profiledMeta(context, VITAL_SIGN_PROFILES[kind]),
    status: 'final',
    category: category(context),
    code,
    subject: reference('Patient', story.patientId),
    effectiveDateTime,
  });

  const resources: Resource[] = [];
  for (const kind of SINGLE_VALUE_SIGNS) {
    const value = vitals[kind];
    if (value === undefined) continue;
    const definition = VITAL_SIGNS[kind];
    const resource = observation(kind, observationCode(kind, definition.concept, context));
    resource['valueQuantity'] = quantity(value, definition.unit);
    resources.push(resource);
  }
  const { systolic, diastolic } = BLOOD_PRESSURE_COMPONENTS;
  const bloodPressure = observation('bloodPressure', codeableConcept(BLOOD_PRESSURE_PANEL));
  bloodPressure['component'] = [
    { code: codeableConcept(systolic.concept), valueQuantity: quantity(vitals.systolic, systolic.unit) },
    { code: codeableConcept(diastolic.concept), valueQuantity: quantity(vitals.diastolic, diastolic.unit) },
  ];
  resources.push(bloodPressure);
  return resources;
}

function category(context: RenderContext): CodeableConcept | CodeableConcept[] {
  switch (context.version) {
    case 'dstu2':
      return codeableConcept(VITAL_SIGNS_CATEGORY);
    case 'stu3':
      return [codeableConcept(VITAL_SIGNS_CATEGORY)];
    case 'r4':
      return [codeableConcept(R4_VITAL_SIGNS_CATEGORY)];
  }
}

/** R4's oxygen saturation carries the code of R4's profile beside the pulse oximetry one. */
function observationCode(kind: VitalSignKind, concept: Concept, context: RenderContext): CodeableConcept {
  const code = codeableConcept(concept);
  if (context.version === 'r4' && kind === 'oxygenSaturation') code.coding.push({ ...ARTERIAL_OXYGEN_SATURATION });
  return code;
}
