import type { Resource } from '../../fhir/types.js';
import type { OrganizationStory } from '../story/providerDirectory.js';
import { meta } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

const ORGANIZATION_TYPE_SYSTEM = 'http://hl7.org/fhir/organization-type';
const ORGANIZATION_TYPES = {
  prov: 'Healthcare Provider',
  ins: 'Insurance Company',
} as const;

/** The hospital or an insurer; Organization.type is one CodeableConcept in DSTU2 and a list in STU3. */
export function renderOrganization(
  organization: OrganizationStory,
  typeCode: keyof typeof ORGANIZATION_TYPES,
  context: RenderContext,
): Resource {
  const type = { coding: [{ system: ORGANIZATION_TYPE_SYSTEM, code: typeCode, display: ORGANIZATION_TYPES[typeCode] }] };
  return {
    resourceType: 'Organization',
    id: organization.id,
    meta: meta(context),
    active: true,
    type: context.version === 'dstu2' ? type : [type],
    name: organization.name,
    telecom: [{ system: 'phone', value: organization.phone, use: 'work' }],
    address: [{ use: 'work', ...organization.address, country: 'US' }],
  };
}
