import type { Resource } from '../../fhir/types.js';
import { CODE_SYSTEMS } from '../codes/concept.js';
import type { PractitionerStory } from '../story/providerDirectory.js';
import { humanName, meta } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

/** Practitioner; DSTU2 allows one name, STU3 a list. */
export function renderPractitioner(practitioner: PractitionerStory, context: RenderContext): Resource {
  const name = humanName(context.version, practitioner.name);
  return {
    resourceType: 'Practitioner',
    id: practitioner.id,
    meta: meta(context),
    identifier: [{ system: CODE_SYSTEMS.npi, value: practitioner.npi }],
    active: true,
    name: context.version === 'dstu2' ? name : [name],
    telecom: [{ system: 'phone', value: practitioner.phone, use: 'work' }],
    gender: practitioner.gender,
  };
}
