import type { FhirVersion, Resource } from '../../fhir/types.js';
import type { CareTeamPanel } from '../story/careTeamPanels.js';
import { practitionerDisplay } from '../story/providerDirectory.js';
import { meta, reference } from './datatypes.js';
import type { RenderContext } from './renderContext.js';

/** The elements every version spells alike: an actual group of persons, its code, name, size and members. */
function groupCore(panel: CareTeamPanel, context: RenderContext): Resource {
  const group: Resource = {
    resourceType: 'Group',
    id: panel.id,
    meta: meta(context),
    type: 'person',
    actual: true,
    code: { text: 'General practitioner patient panel' },
    name: `Patients of ${panel.practitioner.name.prefix} ${practitionerDisplay(panel.practitioner)}`,
    quantity: panel.patientIds.length,
  };
  // FHIR forbids empty arrays: a GP without patients has no member element at all.
  if (panel.patientIds.length > 0) group['member'] = panel.patientIds.map((id) => ({ entity: reference('Patient', id) }));
  return group;
}

/**
 * Group per version. A new version is one more entry: the table is keyed by every FhirVersion, so
 * the compiler asks for it. Key order matters only for readability: `active` comes after `id`/`meta`.
 */
const GROUP_RENDERERS: Readonly<Record<FhirVersion, (panel: CareTeamPanel, context: RenderContext) => Resource>> = {
  dstu2: groupCore,
  stu3: withActive,
  // R4's Group has STU3's elements (it adds managingEntity, which a GP panel does not need).
  r4: withActive,
};

/** STU3 added `active`. */
function withActive(panel: CareTeamPanel, context: RenderContext): Resource {
  const { resourceType, id, meta: resourceMeta, ...rest } = groupCore(panel, context);
  return { resourceType, id, meta: resourceMeta, active: true, ...rest };
}

/** The tenant's care-team Groups, one per general practitioner's panel. */
export function renderCareTeamGroups(panels: readonly CareTeamPanel[], context: RenderContext): Resource[] {
  const render = GROUP_RENDERERS[context.version];
  return panels.map((panel) => render(panel, context));
}
