import type { Resource } from '../../fhir/types.js';
import { R4_CODE_SYSTEMS } from '../codes/r4CodeSystems.js';
import { US_CORE_PROFILES } from '../codes/usCoreProfiles.js';
import type { OrganizationStory } from '../story/providerDirectory.js';
import { profiledMeta } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

const ORGANIZATION_TYPE_SYSTEM = 'http://hl7.org/fhir/organization-type';
const ORGANIZATION_TYPES = {
  prov: 'Healthcare Provider',
  ins: 'Insurance Company',
} as const;

/**
 * The hospital or an insurer; Organization.type is one CodeableConcept in DSTU2 and a list from STU3
 * on. R4 takes the type from terminology.hl7.org and names US Core 3.1.1's Organization.
 */
export function renderOrganization(
  organization: OrganizationStory,
  typeCode: keyof typeof ORGANIZATION_TYPES,
  context: RenderContext,
): Resource {
  const isR4 = context.version === 'r4';
  const system = isR4 ? R4_CODE_SYSTEMS.organizationType : ORGANIZATION_TYPE_SYSTEM;
  const type = { coding: [{ system, code: typeCode, display: ORGANIZATION_TYPES[typeCode] }] };
  return {
    resourceType: 'Organization',
    id: organization.id,
    meta: profiledMeta(context, US_CORE_PROFILES.organization),
    active: true,
    type: context.version === 'dstu2' ? type : [type],
    name: organization.name,
    telecom: [{ system: 'phone', value: organization.phone, use: 'work' }],
    address: [{ use: 'work', ...organization.address, country: 'US' }],
  };
}
