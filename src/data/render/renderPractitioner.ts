import type { Resource } from '../../fhir/types.js';
import { CODE_SYSTEMS } from '../codes/concept.js';
import { US_CORE_PROFILES } from '../codes/usCoreProfiles.js';
import type { PractitionerStory } from '../story/providerDirectory.js';
import { humanName, profiledMeta } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

/** Practitioner; DSTU2 allows one name, STU3 and R4 a list. R4 names US Core 3.1.1's Practitioner (NPI, family name). */
export function renderPractitioner(practitioner: PractitionerStory, context: RenderContext): Resource {
  const name = humanName(context.version, practitioner.name);
  return {
    resourceType: 'Practitioner',
    id: practitioner.id,
    meta: profiledMeta(context, US_CORE_PROFILES.practitioner),
    identifier: [{ system: CODE_SYSTEMS.npi, value: practitioner.npi }],
    active: true,
    name: context.version === 'dstu2' ? name : [name],
    telecom: [{ system: 'phone', value: practitioner.phone, use: 'work' }],
    gender: practitioner.gender,
  };
}
