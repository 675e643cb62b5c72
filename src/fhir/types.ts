/**
 * The FHIR core's vocabulary. Nothing here knows about HTTP frameworks, tokens or terminals:
 * the gateway adapts a web request into a FhirRequest and writes a FhirResponse back.
 */

import type { JsonPart } from './text/jsonPart.js';

/** FHIR versions the sandbox serves; each has one adapter in src/fhir/versions/. */
export type FhirVersion = 'dstu2' | 'stu3' | 'r4';

/** Oldest first: the last one is the newest, whose shape answers where no version applies. */
export const FHIR_VERSIONS: readonly FhirVersion[] = ['dstu2', 'stu3', 'r4'];

/** Any FHIR resource as JSON. Version-specific shapes are built by the data renderers. */
export interface Resource {
  resourceType: string;
  id?: string;
  meta?: { versionId?: string; lastUpdated?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** One tenant's data in json-server's db.json shape: `{ "Patient": [...], "Observation": [...] }`. */
export type ResourceCollections = Record<string, Resource[]>;

export type FhirMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A FHIR interaction after the web layer has taken it apart. */
export interface FhirRequest {
  method: FhirMethod;
  /** Path below the version's base URL, without leading slash: "", "metadata", "Patient", "Patient/123", "Patient/_search". */
  path: string;
  /** Query and form parameters in the order they arrived (a name may repeat). */
  params: ReadonlyArray<readonly [string, string]>;
  /** Parsed JSON body, when there is one. */
  body?: unknown;
  /** Request headers the core cares about (lower-case names). */
  headers: {
    ifMatch?: string;
    ifNoneMatch?: string;
    prefer?: string;
  };
  /** Absolute base URL of this gateway, e.g. "http://localhost:8080/fhir/stu3"; used for fullUrl and links. */
  baseUrl: string;
}

/** The core's answer; the web layer adds the version's content type. */
export interface FhirResponse {
  status: number;
  /** The body as an object, or */
  resource?: Resource;
  /** the same already serialised, as UTF-8 bytes (the store keeps resources as JSON bytes; re-serialising would waste time). */
  json?: Buffer;
  /**
   * Inside the core only, in place of `json`: a body not yet written out (a searchset), so a batch
   * writes it straight into its own answer. handleFhirRequest writes it out as `json` before anyone else sees it.
   */
  pendingJson?: JsonPart;
  /** Extra headers such as ETag, Location, Last-Modified. */
  headers?: Record<string, string>;
  /** The absolute URL of the body's resource when it is a stored one: its `fullUrl` in a Bundle. */
  resourceUrl?: string;
  /** A searchset's next-page link (also in the body), so the request log can say which link was given. */
  nextLink?: string;
}

/** What a request does to a resource type, as access rules (for example SMART scopes) name it. */
export type AccessInteraction = 'create' | 'read' | 'update' | 'delete' | 'search';

/** Whether the caller may do an interaction on a resource type: the core asks, and knows nothing of why. */
export type AccessCheck = (interaction: AccessInteraction, resourceType: string) => boolean;

/** What a search or batch needs to know about where it runs. */
export interface Interaction {
  kind: 'read' | 'vread' | 'search' | 'batch' | 'create' | 'update' | 'delete' | 'metadata';
  resourceType?: string;
}
