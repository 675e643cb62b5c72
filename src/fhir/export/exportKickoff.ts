import type { OutcomeIssue } from '../errors.js';
import { badRequest, forbidden, informationalIssue, notSupported } from '../outcome.js';
import type { VersionAdapter } from '../versions/versionAdapter.js';
import { patientCompartmentTypes } from './patientCompartment.js';

/** What an export covers: every resource, every patient's compartment, or a Group's members' compartments. */
export type ExportLevel = { kind: 'system' } | { kind: 'patient' } | { kind: 'group'; groupId: string };

export interface KickoffInput {
  level: ExportLevel;
  /** Query parameters in arrival order (a name may repeat). */
  params: ReadonlyArray<readonly [string, string]>;
  /** The Prefer header as sent (several headers joined by commas). */
  prefer: string | undefined;
  /** The kick-off URL as the client sent it: the manifest's `request`. */
  requestUrl: string;
}

/** A kick-off request the server will carry out. */
export interface ExportKickoff {
  level: ExportLevel;
  /** Types to export, in the adapter's order. */
  types: readonly string[];
  /** Epoch ms: only records last updated after it; undefined for all. */
  since: number | undefined;
  requestUrl: string;
  /** What a lenient request asked for that is not served: the manifest's error file reports it. */
  ignored: readonly OutcomeIssue[];
}

/** `_outputFormat` values meaning NDJSON: the full type and the short forms Bulk Data allows. */
const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);
// A FHIR instant: seconds and a time zone are required.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks a kick-off request against Bulk Data Access 2.0: `Prefer: respond-async` is required, and
 * a parameter or value this server does not support is refused (400) unless the client sent
 * `Prefer: handling=lenient`, in which case it is ignored and reported in the manifest's `error`.
 * `mayRead` says which types the caller may read: without `_type` the others are left out; naming
 * one is refused (403), and so is an export of nothing the caller may read or of a Group it may not read.
 */
export function parseKickoff(input: KickoffInput, adapter: VersionAdapter, mayRead: (resourceType: string) => boolean): ExportKickoff {
  const preferences = parsePrefer(input.prefer);
  if (!preferences.has('respond-async')) {
    throw badRequest('Bulk Data export runs asynchronously: send the header "Prefer: respond-async"', 'Prefer');
  }
  const lenient = preferences.get('handling') === 'lenient';
  const ignored: OutcomeIssue[] = [];
  const refuseOrIgnore = (text: string, expression: string): void => {
    if (!lenient) throw notSupported(`${text} (send "Prefer: handling=lenient" to have it ignored)`, expression);
    ignored.push(informationalIssue(`${text}; ignored (handling=lenient)`, expression));
  };

  const requestedTypes: string[] = [];
  let since: number | undefined;
  for (const [name, value] of input.params) {
    if (name === '_type') requestedTypes.push(...value.split(',').map((type) => type.trim()).filter((type) => type !== ''));
    else if (name === '_since') since = parseSince(value);
    else if (name === '_outputFormat') checkOutputFormat(value, refuseOrIgnore);
    else refuseOrIgnore(`this server does not support the export parameter ${name}`, name);
  }

  // The Group names the members: reading it is part of the export.
  if (input.level.kind === 'group' && !mayRead('Group')) throw forbidden('this access token may not read Group, so it cannot export a Group');
  const levelTypes = input.level.kind === 'system' ? adapter.resourceTypes : patientCompartmentTypes(adapter);
  let types: string[];
  if (requestedTypes.length === 0) {
    types = levelTypes.filter((type) => mayRead(type));
    if (types.length === 0) throw forbidden('this access token may read none of the types this export covers');
  } else {
    const wanted = new Set<string>();
    for (const type of requestedTypes) {
      if (!adapter.resourceTypes.includes(type)) refuseOrIgnore(`${type} is not a resource type this FHIR ${adapter.fhirVersion} server serves`, '_type');
      else if (!levelTypes.includes(type)) refuseOrIgnore(`${type} is outside the Patient compartment: export it with [base]/$export`, '_type');
      else if (!mayRead(type)) throw forbidden(`this access token may not read ${type}`);
      else wanted.add(type);
    }
    types = levelTypes.filter((type) => wanted.has(type));
  }
  return { level: input.level, types, since, requestUrl: input.requestUrl, ignored };
}

/** Preference names (lower case) with their values; `respond-async` has none. */
function parsePrefer(header: string | undefined): Map<string, string> {
  const preferences = new Map<string, string>();
  for (const part of (header ?? '').split(',')) {
    const [token = ''] = part.split(';');
    const [name = '', value = ''] = token.split('=');
    if (name.trim() !== '') preferences.set(name.trim().toLowerCase(), value.trim().replace(/^"|"$/g, '').toLowerCase());
  }
  return preferences;
}

function parseSince(value: string): number {
  const ms = INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw badRequest(`_since must be a FHIR instant with seconds and a time zone, e.g. 2026-01-01T00:00:00Z (got "${value}")`, '_since');
  return ms;
}

function checkOutputFormat(value: string, refuseOrIgnore: (text: string, expression: string) => void): void {
  // An unencoded "+" in a query string arrives as a space: "application/fhir ndjson" is what curl users send.
  const format = value.trim().toLowerCase().replace(' ', '+');
  if (!NDJSON_FORMATS.has(format)) refuseOrIgnore(`_outputFormat "${value}" is not supported: this server writes application/fhir+ndjson`, '_outputFormat');
}
