import type { Resource } from '../../fhir/types.js';
import { CODE_SYSTEMS } from '../codes/concept.js';
import { ENCOUNTER_TYPES, type EncounterSetting } from '../codes/encounterTypes.js';
import { formatDateTime } from '../story/calendar.js';
import type { EncounterStory, PatientStory } from '../story/patientStory.js';
import { codeableConcept, meta, practitionerReference, reference } from './datatypes.js';
import { lookup, type RenderContext } from './renderContext.js';

/** STU3 codes Encounter.class as a v3 ActCode Coding; DSTU2 used a plain code. */
const STU3_ENCOUNTER_CLASSES: Readonly<Record<EncounterSetting, { system: string; code: string; display: string }>> = {
  ambulatory: { system: CODE_SYSTEMS.actCode, code: 'AMB', display: 'ambulatory' },
  emergency: { system: CODE_SYSTEMS.actCode, code: 'EMER', display: 'emergency' },
  inpatient: { system: CODE_SYSTEMS.actCode, code: 'IMP', display: 'inpatient encounter' },
};

/**
 * Encounter. DSTU2: `patient` and `class` a code. STU3: `subject` and `class` a Coding.
 * Both use the statuses `in-progress` and `finished`.
 */
export function renderEncounter(encounter: EncounterStory, story: PatientStory, context: RenderContext): Resource {
  const type = ENCOUNTER_TYPES[encounter.type];
  const location = lookup(context.locations, encounter.locationId, 'location');
  const inProgress = encounter.end === undefined;
  const period =
    encounter.end === undefined
      ? { start: formatDateTime(encounter.start) }
      : { start: formatDateTime(encounter.start), end: formatDateTime(encounter.end) };
  const status = inProgress ? 'in-progress' : 'finished';
  const types = [codeableConcept(type.concept)];
  const patient = reference('Patient', story.patientId);
  const participant = [{ individual: practitionerReference(context, encounter.practitionerId) }];
  const locations = [{ location: reference('Location', location.id, location.name), status: inProgress ? 'active' : 'completed' }];
  if (context.version === 'dstu2') {
    return {
      resourceType: 'Encounter',
      id: encounter.id,
      meta: meta(context),
      status,
      class: type.setting,
      type: types,
      patient,
      participant,
      period,
      location: locations,
    };
  }
  return {
    resourceType: 'Encounter',
    id: encounter.id,
    meta: meta(context),
    status,
    class: STU3_ENCOUNTER_CLASSES[type.setting],
    type: types,
    subject: patient,
    participant,
    period,
    location: locations,
  };
}
