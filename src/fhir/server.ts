import { FhirError } from './errors.js';
import type { FhirProvider } from './fhirProvider.js';
import { runBatch } from './handlers/batch.js';
import { readResource } from './handlers/readResource.js';
import { errorResponse } from './handlers/responses.js';
import { routeOf } from './handlers/route.js';
import { searchType } from './handlers/searchType.js';
import { createResource, deleteResource, updateResource } from './handlers/writeResource.js';
import { badRequest, methodNotAllowed, notFound, notSupported } from './outcome.js';
import type { FhirRequest, FhirResponse } from './types.js';

export { capabilityStatement } from './capability.js';
export type { CapabilityOptions } from './capability.js';
export type { FhirProvider } from './fhirProvider.js';

/**
 * The FHIR core's entry point: one interaction against one provider. Synchronous, and it never
 * throws for bad input: every refusal is an OperationOutcome response with its status.
 */
export function handleFhirRequest(request: FhirRequest, provider: FhirProvider): FhirResponse {
  try {
    return dispatch(request, provider);
  } catch (error) {
    if (error instanceof FhirError) return errorResponse(error, provider.adapter);
    throw error;
  }
}

function dispatch(request: FhirRequest, provider: FhirProvider): FhirResponse {
  const route = routeOf(request.path);
  const { method } = request;
  switch (route.kind) {
    case 'base':
      if (method !== 'POST') throw methodNotAllowed(`${method} on the base URL is not supported; POST a batch Bundle`);
      return runBatch(request, provider, (entry) => handleFhirRequest(entry, provider));
    case 'metadata':
      throw badRequest('metadata is answered by the gateway, not by a provider', 'metadata');
    case 'unknown':
      throw badRequest(`"${request.path}" is not a FHIR interaction this server understands`);
    case 'history':
      assertServedType(route.type, provider);
      throw notSupported('History and vread are not supported; read the current version instead', `${route.type}/_history`);
    case 'search':
      assertServedType(route.type, provider);
      if (method !== 'GET' && method !== 'POST') throw methodNotAllowed(`${method} is not allowed on ${route.type}/_search`);
      return searchType(request, provider, route.type);
    case 'type':
      assertServedType(route.type, provider);
      if (method === 'GET') return searchType(request, provider, route.type);
      if (method === 'POST') return createResource(request, provider, route.type);
      throw methodNotAllowed(`${method} is not allowed on ${route.type} (conditional update and delete are not supported)`);
    case 'instance':
      assertServedType(route.type, provider);
      if (method === 'GET') return readResource(request, provider, route.type, route.id);
      if (method === 'PUT') return updateResource(request, provider, route.type, route.id);
      if (method === 'DELETE') return deleteResource(request, provider, route.type, route.id);
      throw methodNotAllowed(`${method} is not allowed on ${route.type}/${route.id}`);
  }
}

/** An unknown resource type is 404, as FHIR describes for "resource type not supported". */
function assertServedType(type: string, provider: FhirProvider): void {
  if (!provider.adapter.resourceTypes.includes(type)) {
    throw notFound(`${type} is not a resource type this FHIR ${provider.adapter.fhirVersion} server serves (${provider.adapter.resourceTypes.join(', ')})`);
  }
}
