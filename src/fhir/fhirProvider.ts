import type { Clock } from '../lib/clock.js';
import type { ResourceStore } from './store/resourceStore.js';
import type { AccessCheck } from './types.js';
import type { VersionAdapter } from './versions/versionAdapter.js';

/** One hospital's FHIR server as the core sees it: its version, its data, and whether it takes writes. */
export interface FhirProvider {
  adapter: VersionAdapter;
  store: ResourceStore;
  readOnly: boolean;
  clock: Clock;
  /** Asked before every interaction (each batch entry on its own); absent means everything is allowed. */
  permits?: AccessCheck | undefined;
}
