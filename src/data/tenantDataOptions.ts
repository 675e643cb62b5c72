import type { FhirVersion } from '../fhir/types.js';
import type { FixturePatient } from './fixtures/fixturePatient.js';

/** What one tenant's data is generated from. The same options always give byte-identical output. */
export interface TenantDataOptions {
  seed: number;
  tenantId: string;
  /** The hospital's name: the Organization behind the tenant and the namespace of its MRNs. */
  providerName: string;
  fhirVersion: FhirVersion;
  /** Generated patients; fixtures come in addition. */
  patientCount: number;
  /** Fixed patients; each one restricted to other FHIR versions is left out. */
  fixtures?: FixturePatient[];
  /** "Now" of the generated world, an ISO date; default 2026-01-01. */
  referenceDate?: string;
}

export const DEFAULT_REFERENCE_DATE = '2026-01-01';
