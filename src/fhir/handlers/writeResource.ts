import type { FhirProvider } from '../fhirProvider.js';
import { methodNotAllowed, notFound, preconditionFailed } from '../outcome.js';
import type { StoredRecord } from '../store/storedRecord.js';
import type { FhirRequest, FhirResponse } from '../types.js';
import { checkIncomingResource } from './checkIncomingResource.js';
import { parsePrefer } from './preferences.js';
import { assertValidId } from './resourceId.js';
import { etagOf, recordResponse, versionFromEtag } from './responses.js';

/** POST <Type>: stores the resource under a new server-assigned id (any id in the body is ignored, as FHIR says). */
export function createResource(request: FhirRequest, provider: FhirProvider, type: string): FhirResponse {
  assertWritable(provider);
  const resource = checkIncomingResource(request.body, type, provider.adapter);
  const record = provider.store.upsert({ ...resource, id: provider.store.newId(type) });
  return written(request, record, 201, type);
}

/** PUT <Type>/<id>: replaces the resource, or creates it with the client's id; `If-Match` guards the version. */
export function updateResource(request: FhirRequest, provider: FhirProvider, type: string, id: string): FhirResponse {
  assertWritable(provider);
  assertValidId(id);
  const resource = checkIncomingResource(request.body, type, provider.adapter, id);
  const current = provider.store.read(type, id);
  const currentVersion = current.status === 'found' ? current.record.versionId : undefined;
  checkIfMatch(request, type, id, currentVersion);
  const record = provider.store.upsert(resource);
  return written(request, record, currentVersion === undefined ? 201 : 200, type);
}

/** DELETE <Type>/<id>: 204, also when it was already deleted; the id then answers 410. */
export function deleteResource(request: FhirRequest, provider: FhirProvider, type: string, id: string): FhirResponse {
  assertWritable(provider);
  assertValidId(id);
  const current = provider.store.read(type, id);
  if (current.status === 'missing') throw notFound(`${type}/${id} is not known`);
  if (current.status === 'deleted') return { status: 204, headers: { ETag: etagOf(current.tombstone.versionId) } };
  checkIfMatch(request, type, id, current.record.versionId);
  provider.store.remove(type, id);
  return { status: 204, headers: { ETag: etagOf(current.record.versionId + 1) } };
}

function assertWritable(provider: FhirProvider): void {
  if (provider.readOnly) throw methodNotAllowed('This FHIR server is read-only: create, update and delete are not allowed');
}

function checkIfMatch(request: FhirRequest, type: string, id: string, currentVersion: number | undefined): void {
  const ifMatch = request.headers.ifMatch;
  if (ifMatch === undefined) return;
  const wanted = versionFromEtag(ifMatch);
  if (currentVersion === undefined || wanted !== currentVersion) {
    const current = currentVersion === undefined ? 'it does not exist' : `its current version is ${etagOf(currentVersion)}`;
    throw preconditionFailed(`If-Match ${ifMatch} does not match ${type}/${id}: ${current}`);
  }
}

function written(request: FhirRequest, record: StoredRecord, status: number, type: string): FhirResponse {
  const location = `${request.baseUrl}/${type}/${record.id}/_history/${record.versionId}`;
  const response = recordResponse(record, `${request.baseUrl}/${type}`, status, { Location: location });
  if (parsePrefer(request.headers.prefer).returnMinimal) delete response.json;
  return response;
}
