import type { Resource } from '../../fhir/types.js';
import { CODE_SYSTEMS } from '../codes/concept.js';
import { ENCOUNTER_TYPES, type EncounterSetting } from '../codes/encounterTypes.js';
import { R4_CODE_SYSTEMS } from '../codes/r4CodeSystems.js';
import { US_CORE_PROFILES } from '../codes/usCoreProfiles.js';
import { formatDateTime } from '../story/calendar.js';
import type { EncounterStory, PatientStory } from '../story/patientStory.js';
import { codeableConcept, meta, practitionerReference, profiledMeta, reference } from './datatypes.js';
import { lookup, type RenderContext } from './renderContext.js';

/** STU3 and R4 code Encounter.class as a v3 ActCode Coding (R4 at its terminology.hl7.org URL); DSTU2 used a plain code. */
const ENCOUNTER_CLASS_CODES: Readonly<Record<EncounterSetting, { code: string; display: string }>> = {
  ambulatory: { code: 'AMB', display: 'ambulatory' },
  emergency: { code: 'EMER', display: 'emergency' },
  inpatient: { code: 'IMP', display: 'inpatient encounter' },
};

/**
 * Encounter. DSTU2: `patient` and `class` a code. STU3: `subject` and `class` a Coding. R4 as STU3,
 * with R4's class system and US Core 3.1.1's Encounter profile.
 * Every version uses the statuses `in-progress` and `finished`.
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
  switch (context.version) {
    case 'dstu2':
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
    case 'stu3':
    case 'r4':
      return {
        resourceType: 'Encounter',
        id: encounter.id,
        meta: profiledMeta(context, US_CORE_PROFILES.encounter),
        status,
        class: { system: context.version === 'r4' ? R4_CODE_SYSTEMS.actCode : CODE_SYSTEMS.actCode, ...ENCOUNTER_CLASS_CODES[type.setting] },
        type: types,
        subject: patient,
        participant,
        period,
        location: locations,
      };
  }
}
