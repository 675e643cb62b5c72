import { FhirError } from '../errors.js';
import { operationOutcome } from '../outcome.js';
import type { StoredRecord } from '../store/storedRecord.js';
import type { FhirResponse } from '../types.js';
import type { VersionAdapter } from '../versions/versionAdapter.js';
import { httpDate } from './httpDate.js';

export function errorResponse(error: FhirError, adapter: VersionAdapter): FhirResponse {
  return { status: error.status, resource: operationOutcome(error.issues, adapter) };
}

export function etagOf(versionId: number): string {
  return `W/"${versionId}"`;
}

/** The version an `If-Match` header asks for: `W/"3"`, `"3"` or `3`; undefined when it names none. */
export function versionFromEtag(etag: string): number | undefined {
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(etag.trim());
  return match === null ? undefined : Number(match[1]);
}

/** A stored resource as a response: its JSON bytes as stored, with ETag, Last-Modified and its URL under `typeUrl`. */
export function recordResponse(record: StoredRecord, typeUrl: string, status: number, extraHeaders?: Record<string, string>): FhirResponse {
  return {
    status,
    json: record.json,
    headers: { ETag: etagOf(record.versionId), 'Last-Modified': httpDate(record.lastUpdated), ...extraHeaders },
    resourceUrl: `${typeUrl}/${record.id}`,
  };
}
