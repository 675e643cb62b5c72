import type { Resource } from '../../fhir/types.js';
import { US_CORE_PROFILES } from '../codes/usCoreProfiles.js';
import type { LocationStory } from '../story/providerDirectory.js';
import { profiledMeta, reference } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

/** A ward or clinic of the hospital; the same shape in every version, R4's naming US Core 3.1.1's Location. */
export function renderLocation(location: LocationStory, context: RenderContext): Resource {
  const { hospital } = context.directory;
  return {
    resourceType: 'Location',
    id: location.id,
    meta: profiledMeta(context, US_CORE_PROFILES.location),
    status: 'active',
    name: location.name,
    mode: 'instance',
    telecom: [{ system: 'phone', value: hospital.phone, use: 'work' }],
    address: { use: 'work', ...hospital.address, country: 'US' },
    managingOrganization: reference('Organization', hospital.id, hospital.name),
  };
}
