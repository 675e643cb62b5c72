import type { Resource } from '../../fhir/types.js';
import type { Concept } from '../codes/concept.js';
import {
  BLOOD_PRESSURE_COMPONENTS,
  BLOOD_PRESSURE_PANEL,
  VITAL_SIGNS,
  VITAL_SIGNS_CATEGORY,
  type VitalSignKind,
} from '../codes/vitalSigns.js';
import { patientResourceId } from '../ids.js';
import { formatDateTime } from '../story/calendar.js';
import type { PatientStory, VitalSignsStory } from '../story/patientStory.js';
import { codeableConcept, meta, quantity, reference } from './datatypes.js';
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

/**
 * One Observation per vital sign, the blood pressure as a panel with two components.
 * DSTU2 has one category, STU3 a list of them.
 * `firstOrdinal` numbers the ids across all of the patient's sets; signs not measured are skipped.
 */
export function renderVitalSigns(vitals: VitalSignsStory, firstOrdinal: number, story: PatientStory, context: RenderContext): Resource[] {
  const isDstu2 = context.version === 'dstu2';
  const effectiveDateTime = formatDateTime(vitals.effective);
  let ordinal = firstOrdinal;
  // The encounter is left out on purpose: it would add a tenth to the tenant's largest resource kind.
  const observation = (code: Concept): Resource => ({
    resourceType: 'Observation',
    id: patientResourceId('obs', story.key, ordinal++),
    meta: meta(context),
    status: 'final',
    category: isDstu2 ? codeableConcept(VITAL_SIGNS_CATEGORY) : [codeableConcept(VITAL_SIGNS_CATEGORY)],
    code: codeableConcept(code),
    subject: reference('Patient', story.patientId),
    effectiveDateTime,
  });

  const resources: Resource[] = [];
  for (const kind of SINGLE_VALUE_SIGNS) {
    const value = vitals[kind];
    if (value === undefined) continue;
    const definition = VITAL_SIGNS[kind];
    const resource = observation(definition.concept);
    resource['valueQuantity'] = quantity(value, definition.unit);
    resources.push(resource);
  }
  const { systolic, diastolic } = BLOOD_PRESSURE_COMPONENTS;
  const bloodPressure = observation(BLOOD_PRESSURE_PANEL);
  bloodPressure['component'] = [
    { code: codeableConcept(systolic.concept), valueQuantity: quantity(vitals.systolic, systolic.unit) },
    { code: codeableConcept(diastolic.concept), valueQuantity: quantity(vitals.diastolic, diastolic.unit) },
  ];
  resources.push(bloodPressure);
  return resources;
}
