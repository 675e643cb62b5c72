import type { ResolvedCheckOptions } from './checkOptions.js';
import type { JsonObject } from './fhirJson.js';
import type { Exchange } from './httpTransport.js';
import type { VersionCallSet } from './versionCallSets.js';

/** A token the checker holds, and how it got it (so a refresh goes the same way). */
export interface TokenGrant {
  accessToken: string;
  expiresInSeconds: number;
  obtainedAt: number;
  via: 'basic' | 'post' | 'assertion';
}

/** Time spent on the three calls that open a patient, as the timing checks add them up. */
export interface PageLoadTimes {
  searchMs?: number;
  readMs?: number;
  batchMs?: number;
}

/** A search page whose request set `_count`, for calls.count-honoured. */
export interface CountedPage {
  count: number;
  entries: number;
  exchange: Exchange;
}

/** Where following next links ended. `complete` is false when the page limit stopped it first. */
export interface PagingResult {
  complete: boolean;
  pages: number;
  distinct: number;
  /** Bundle.total of each page, in order. */
  totals: number[];
}

/**
 * What a run has learned about the partner so far; later checks build on it. Each `blocked` entry
 * says why something is missing, so the checks that need it can say why they were skipped.
 */
export interface RunFacts {
  options: ResolvedCheckOptions;
  callSet?: VersionCallSet;
  declaredFhirVersion?: string;
  metadata?: JsonObject;
  tokenUrl?: string;
  grant?: TokenGrant;
  patientId?: string;
  patient?: JsonObject;
  /** Every Patient the searches and reads returned, by id. */
  patients: Map<string, JsonObject>;
  /** The patient's clinical resources, by type, then by `Type/id`. */
  clinical: Map<string, Map<string, JsonObject>>;
  pageLoad: PageLoadTimes;
  countedPages: CountedPage[];
  paging?: PagingResult;
  blocked: { version?: string; token?: string; patient?: string };
}

export function newRunFacts(options: ResolvedCheckOptions): RunFacts {
  return { options, patients: new Map(), clinical: new Map(), pageLoad: {}, countedPages: [], blocked: {} };
}

export function rememberClinical(facts: RunFacts, resource: JsonObject): void {
  const type = typeof resource.resourceType === 'string' ? resource.resourceType : undefined;
  if (type === undefined || typeof resource.id !== 'string') return;
  if (type === 'Patient') {
    facts.patients.set(resource.id, resource);
    return;
  }
  let byKey = facts.clinical.get(type);
  if (byKey === undefined) {
    byKey = new Map();
    facts.clinical.set(type, byKey);
  }
  byKey.set(`${type}/${resource.id}`, resource);
}

/** A search page whose request set `_count`: calls.count-honoured compares them. */
export function rememberCountedPage(facts: RunFacts, params: URLSearchParams, bundle: JsonObject, exchange: Exchange): void {
  const count = Number(params.get('_count'));
  if (Number.isInteger(count) && count > 0) facts.countedPages.push({ count, entries: Array.isArray(bundle.entry) ? bundle.entry.length : 0, exchange });
}
