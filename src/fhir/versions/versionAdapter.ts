import type { IssueType } from '../errors.js';
import type { FhirVersion, Resource } from '../types.js';
import type { SearchParamDefinition } from './searchParamDefinition.js';

/** Everything that differs between FHIR versions; search, store and handlers only talk to this. */
export interface VersionAdapter {
  version: FhirVersion;
  /** The official version string, e.g. "3.0.1"; the client reads it from the capability document. */
  fhirVersion: string;
  /**
   * The version's FHIR JSON media type: the one source for every Content-Type the gateway writes
   * on this base (answers, errors, faults) and for the capability document's `format`.
   */
  mediaType: string;
  /** Resource types served, in capability-statement order. */
  resourceTypes: readonly string[];
  /** Search parameters per resource type, without the common `_id` and `_lastUpdated`. */
  searchParams: Readonly<Record<string, readonly SearchParamDefinition[]>>;
  /** Whether OperationOutcome.issue has `expression` (STU3 on); DSTU2 has only `location`. */
  outcomeHasExpression: boolean;
  /** Issue types the version's value set lacks, each with the code written instead. */
  issueTypeSubstitutes: Readonly<Partial<Record<IssueType, IssueType>>>;
  /** Builds the version's capability document from the version-neutral description. */
  renderCapability(capability: CapabilityDescription): Resource;
}

/** Interactions a resource type supports, in FHIR's vocabulary (http://hl7.org/fhir/type-restful-interaction). */
export type TypeInteraction = 'read' | 'search-type' | 'create' | 'update' | 'delete';

/** What the server can do, independent of how a version spells it. */
export interface CapabilityDescription {
  date: string;
  baseUrl: string;
  tokenUrl: string;
  authorizeUrl: string;
  readOnly: boolean;
  softwareName: string;
  softwareVersion: string;
  formats: readonly string[];
  /** System-level operations, each with the canonical URL of its OperationDefinition. */
  operations: ReadonlyArray<{ name: string; definition: string }>;
  resources: ReadonlyArray<{
    type: string;
    interactions: readonly TypeInteraction[];
    searchParams: ReadonlyArray<{ name: string; type: string; documentation: string }>;
  }>;
}
