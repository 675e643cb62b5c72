import type { Resource } from '../../fhir/types.js';
import { renderLocation } from './renderLocation.js';
import { renderOrganization } from './renderOrganization.js';
import { renderPractitioner } from './renderPractitioner.js';
import type { RenderContext } from './renderContext.js';

/** The resources a provider's patients share: organisations, practitioners, locations. */
export function renderProviderDirectory(context: RenderContext): Resource[] {
  const { directory } = context;
  return [
    renderOrganization(directory.hospital, 'prov', context),
    ...directory.payors.map((payor) => renderOrganization(payor, 'ins', context)),
    ...directory.practitioners.map((practitioner) => renderPractitioner(practitioner, context)),
    ...directory.locations.map((location) => renderLocation(location, context)),
  ];
}
