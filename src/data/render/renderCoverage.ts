import type { Resource } from '../../fhir/types.js';
import { CODE_SYSTEMS } from '../codes/concept.js';
import { R4_CODE_SYSTEMS } from '../codes/r4CodeSystems.js';
import { formatDate } from '../story/calendar.js';
import type { PatientStory } from '../story/patientStory.js';
import { meta, reference } from './datatypes.js';
import { lookup, type RenderContext } from './renderContext.js';

/**
 * Coverage. DSTU2: `issuer`, `plan`/`group` strings, `subscriberId` an Identifier, `type` a Coding,
 * and no beneficiary (the subscriber is the patient). STU3: `payor` list, `grouping` with displays,
 * `subscriberId` a string, `beneficiary`, and a required `status`. R4: `class` entries (group, plan)
 * replace `grouping`, and the relationship comes from subscriber-relationship.
 */
export function renderCoverage(story: PatientStory, context: RenderContext): Resource {
  const { coverage } = story;
  const payor = lookup(context.payors, coverage.payorId, 'payor');
  const payorReference = reference('Organization', payor.id, payor.name);
  const patient = reference('Patient', story.patientId);
  const period = { start: formatDate(coverage.start), end: formatDate(coverage.end) };
  const policyType =
    payor.kind === 'commercial'
      ? { code: 'EHCPOL', display: 'extended healthcare' }
      : { code: 'PUBLICPOL', display: 'public healthcare' };
  switch (context.version) {
    case 'dstu2':
      return {
        resourceType: 'Coverage',
        id: coverage.id,
        meta: meta(context),
        issuer: payorReference,
        period,
        type: { system: CODE_SYSTEMS.actCode, ...policyType },
        identifier: [{ value: coverage.subscriberId }],
        group: coverage.groupId,
        plan: coverage.planDisplay,
        subscriberId: { value: coverage.subscriberId },
        subscriber: patient,
      };
    case 'stu3':
      return {
        resourceType: 'Coverage',
        id: coverage.id,
        meta: meta(context),
        status: 'active',
        type: { coding: [{ system: CODE_SYSTEMS.actCode, ...policyType }] },
        subscriber: patient,
        subscriberId: coverage.subscriberId,
        beneficiary: patient,
        relationship: { coding: [{ system: CODE_SYSTEMS.policyholderRelationship, code: 'self' }] },
        period,
        payor: [payorReference],
        grouping: {
          group: coverage.groupId,
          groupDisplay: coverage.groupDisplay,
          plan: coverage.planId,
          planDisplay: coverage.planDisplay,
        },
      };
    case 'r4':
      return {
        resourceType: 'Coverage',
        id: coverage.id,
        meta: meta(context),
        status: 'active',
        type: { coding: [{ system: R4_CODE_SYSTEMS.actCode, ...policyType }] },
        subscriber: patient,
        subscriberId: coverage.subscriberId,
        beneficiary: patient,
        relationship: { coding: [{ system: R4_CODE_SYSTEMS.subscriberRelationship, code: 'self', display: 'Self' }] },
        period,
        payor: [payorReference],
        class: [
          { type: coverageClass('group', 'Group'), value: coverage.groupId, name: coverage.groupDisplay },
          { type: coverageClass('plan', 'Plan'), value: coverage.planId, name: coverage.planDisplay },
        ],
      };
  }
}

function coverageClass(code: string, display: string): { coding: Array<{ system: string; code: string; display: string }> } {
  return { coding: [{ system: R4_CODE_SYSTEMS.coverageClass, code, display }] };
}
