import type { Resource } from '../../fhir/types.js';
import { CODE_SYSTEMS } from '../codes/concept.js';
import { formatDate } from '../story/calendar.js';
import type { PatientStory } from '../story/patientStory.js';
import { meta, reference } from './datatypes.js';
import { lookup, type RenderContext } from './renderContext.js';

/**
 * Coverage. DSTU2: `issuer`, `plan`/`group` strings, `subscriberId` an Identifier, `type` a Coding,
 * and no beneficiary (the subscriber is the patient). STU3: `payor` list, `grouping` with displays,
 * `subscriberId` a string, `beneficiary`, and a required `status`.
 */
export function renderCoverage(story: PatientStory, context: RenderContext): Resource {
  const { coverage } = story;
  const payor = lookup(context.payors, coverage.payorId, 'payor');
  const payorReference = reference('Organization', payor.id, payor.name);
  const patient = reference('Patient', story.patientId);
  const period = { start: formatDate(coverage.start), end: formatDate(coverage.end) };
  const type =
    payor.kind === 'commercial'
      ? { system: CODE_SYSTEMS.actCode, code: 'EHCPOL', display: 'extended healthcare' }
      : { system: CODE_SYSTEMS.actCode, code: 'PUBLICPOL', display: 'public healthcare' };
  if (context.version === 'dstu2') {
    return {
      resourceType: 'Coverage',
      id: coverage.id,
      meta: meta(context),
      issuer: payorReference,
      period,
      type,
      identifier: [{ value: coverage.subscriberId }],
      group: coverage.groupId,
      plan: coverage.planDisplay,
      subscriberId: { value: coverage.subscriberId },
      subscriber: patient,
    };
  }
  return {
    resourceType: 'Coverage',
    id: coverage.id,
    meta: meta(context),
    status: 'active',
    type: { coding: [type] },
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
}
