import type { FhirVersion } from '../../fhir/types.js';
import { formatDateTime } from '../story/calendar.js';
import type { LocationStory, PayorStory, PractitionerStory, ProviderDirectory } from '../story/providerDirectory.js';

/** Everything a renderer needs besides the story itself: the version, the directory to resolve displays, the timestamp. */
export interface RenderContext {
  version: FhirVersion;
  directory: ProviderDirectory;
  /** meta.lastUpdated of every resource: the reference date, so output never depends on the clock. */
  lastUpdated: string;
  practitioners: ReadonlyMap<string, PractitionerStory>;
  locations: ReadonlyMap<string, LocationStory>;
  payors: ReadonlyMap<string, PayorStory>;
}

export function createRenderContext(version: FhirVersion, directory: ProviderDirectory, referenceMs: number): RenderContext {
  return {
    version,
    directory,
    lastUpdated: formatDateTime(referenceMs),
    practitioners: new Map(directory.practitioners.map((practitioner) => [practitioner.id, practitioner])),
    locations: new Map(directory.locations.map((location) => [location.id, location])),
    payors: new Map(directory.payors.map((payor) => [payor.id, payor])),
  };
}

export function lookup<T>(entries: ReadonlyMap<string, T>, id: string, kind: string): T {
  const entry = entries.get(id);
  if (entry === undefined) throw new TypeError(`The story references ${kind} ${id}, which the provider directory does not hold`);
  return entry;
}
