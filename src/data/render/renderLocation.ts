import type { Resource } from '../../fhir/types.js';
import type { LocationStory } from '../story/providerDirectory.js';
import { meta, reference } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

/** A ward or clinic of the hospital; the same shape in DSTU2 and STU3. */
export function renderLocation(location: LocationStory, context: RenderContext): Resource {
  const { hospital } = context.directory;
  return {
    resourceType: 'Location',
    id: location.id,
    meta: meta(context),
    status: 'active',
    name: location.name,
    mode: 'instance',
    telecom: [{ system: 'phone', value: hospital.phone, use: 'work' }],
    address: { use: 'work', ...hospital.address, country: 'US' },
    managingOrganization: reference('Organization', hospital.id, hospital.name),
  };
}
