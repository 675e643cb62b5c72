import { FhirError } from './errors.js';
import type { FhirProvider } from './fhirProvider.js';
import { runBatch } from './handlers/batch.js';
import { readResource } from './handlers/readResource.js';
import { errorResponse } from './handlers/responses.js';
import { interactionOf, type TypeRoute } from './handlers/interactionOf.js';
import { routeOf, type Route } from './handlers/route.js';
import { searchType } from './handlers/searchType.js';
import { createResource, deleteResource, updateResource } from './handlers/writeResource.js';
import { badRequest, forbidden, methodNotAllowed, notFound, notSupported } from './outcome.js';
import { jsonPartBytes } from './text/jsonPart.js';
import type { FhirRequest, FhirResponse } from './types.js';

export { capabilityStatement } from './capability.js';
export type { CapabilityOptions } from './capability.js';
export type { FhirProvider } from './fhirProvider.js';

/**
 * The FHIR core's entry point: one interaction against one provider. Synchronous, and it never
 * throws for bad input: every refusal is an OperationOutcome response with its status. A caller
 * that has parsed the path already (the HTTP fast read) passes its route, so it is parsed once.
 */
export function handleFhirRequest(request: FhirRequest, provider: FhirProvider, route: Route = routeOf(request.path)): FhirResponse {
  return withJsonWritten(answer(request, provider, route));
}

/** One interaction's answer, a searchset body possibly not yet written out (a batch writes its entries' into its own). */
function answer(request: FhirRequest, provider: FhirProvider, route: Route = routeOf(request.path)): FhirResponse {
  try {
    return dispatch(request, provider, route);
  } catch (error) {
    if (error instanceof FhirError) return errorResponse(error, provider.adapter);
    throw error;
  }
}

/** The same answer with its body as bytes. Built member by member: a rest-and-spread copy cost more than the search it carries. */
function withJsonWritten(response: FhirResponse): FhirResponse {
  if (response.pendingJson === undefined) return response;
  const written: FhirResponse = { status: response.status, json: jsonPartBytes(response.pendingJson) };
  if (response.headers !== undefined) written.headers = response.headers;
  if (response.resourceUrl !== undefined) written.resourceUrl = response.resourceUrl;
  if (response.nextLink !== undefined) written.nextLink = response.nextLink;
  return written;
}

function dispatch(request: FhirRequest, provider: FhirProvider, route: Route): FhirResponse {
  switch (route.kind) {
    case 'base':
      if (request.method !== 'POST') throw methodNotAllowed(`${request.method} on the base URL is not supported; POST a batch Bundle`);
      return runBatch(request, provider, (entry) => answer(entry, provider));
    case 'metadata':
      throw badRequest('metadata is answered by the gateway, not by a provider', 'metadata');
    case 'unknown':
      throw badRequest(`"${request.path}" is not a FHIR interaction this server understands`);
    default:
      return dispatchOnType(request, provider, route);
  }
}

/** An interaction on one resource type: a served type (404), a method the path takes (405), access granted for it (403), then its handler. */
function dispatchOnType(request: FhirRequest, provider: FhirProvider, route: TypeRoute): FhirResponse {
  assertServedType(route.type, provider);
  const interaction = interactionOf(route, request.method);
  if (interaction === undefined) throw methodNotAllowed(`${request.method} is not allowed on ${request.path} (conditional update and delete are not supported)`);
  if (provider.permits !== undefined && !provider.permits(interaction, route.type)) {
    throw forbidden(`The access granted to this request does not cover ${interaction} of ${route.type}`);
  }
  switch (route.kind) {
    case 'history':
      throw notSupported('History and vread are not supported; read the current version instead', `${route.type}/_history`);
    case 'search':
      return searchType(request, provider, route.type);
    case 'type':
      return interaction === 'create' ? createResource(request, provider, route.type) : searchType(request, provider, route.type);
    case 'instance':
      if (interaction === 'update') return updateResource(request, provider, route.type, route.id);
      if (interaction === 'delete') return deleteResource(request, provider, route.type, route.id);
      return readResource(request, provider, route.type, route.id);
  }
}

/** An unknown resource type is 404, as FHIR describes for "resource type not supported". */
function assertServedType(type: string, provider: FhirProvider): void {
  if (!provider.adapter.resourceTypes.includes(type)) {
    throw notFound(`${type} is not a resource type this FHIR ${provider.adapter.fhirVersion} server serves (${provider.adapter.resourceTypes.join(', ')})`);
  }
}
