import type { FhirVersion } from '../fhir/types.js';

/** What the header shows that does not change while the sandbox runs (the banner, in short). */
export interface DashboardInfo {
  version: string;
  profileName: string;
  /** Where clients reach the sandbox, e.g. http://127.0.0.1:8080. */
  origin: string;
  fhirVersions: readonly FhirVersion[];
  /** The first profile client: what a developer pastes into their app. */
  demoClient: { id: string; secret: string } | undefined;
  simulating: boolean;
  startedAt: number;
}
