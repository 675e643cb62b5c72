import type { FhirError } from '../fhir/errors.js';
import { interactionOf } from '../fhir/handlers/interactionOf.js';
import { routeOf } from '../fhir/handlers/route.js';
import { forbidden, methodNotAllowed, notImplemented } from '../fhir/outcome.js';
import type { AccessCheck, FhirMethod } from '../fhir/types.js';

/** What the partner itself decides before a request may reach a tenant's upstream. */
export interface AccessRules {
  /** The token's SMART scopes; absent means everything is allowed. */
  permits?: AccessCheck | undefined;
  /** The tenant refuses create, update and delete, as a store-backed read-only tenant does. */
  readOnly: boolean;
  /** Resource types the tenant's version defines: a search that names no type must be allowed for one of them. */
  resourceTypes: readonly string[];
}

const WRITES = new Set(['create', 'update', 'delete']);

/**
 * Why a request may not go upstream, or undefined when it may. The same words and statuses as the
 * FHIR core's own checks, so a client sees no difference between an upstream and a generated tenant.
 * `query` is the request's query string, read only for a type-less search (`GET [base]?_type=…`, or
 * a paging link such as HAPI's `?_getpages=…`).
 */
export function refusalOf(method: FhirMethod, path: string, query: string, rules: AccessRules): FhirError | undefined {
  if (path.split('/').some((segment) => segment.startsWith('$export'))) {
    return notImplemented('Bulk Data $export is not supported for upstream tenants: export from the upstream server itself', path);
  }
  const route = routeOf(path);
  if (route.kind === 'base' || route.kind === 'metadata') return method === 'GET' ? typelessSearchRefusal(query, rules) : undefined;
  if (route.kind === 'unknown') {
    // An operation ($everything, $validate…): what it reads or writes is the upstream's business, not the scopes'.
    return rules.permits === undefined ? undefined : forbidden(`The access granted to this request cannot cover ${method} ${path}: SMART scopes name reads, searches and writes, not operations`);
  }
  const interaction = interactionOf(route, method);
  if (interaction === undefined) return undefined;
  if (rules.readOnly && WRITES.has(interaction)) return methodNotAllowed('This FHIR server is read-only: create, update and delete are not allowed');
  if (rules.permits !== undefined && !rules.permits(interaction, route.type)) {
    return forbidden(`The access granted to this request does not cover ${interaction} of ${route.type}`);
  }
  return undefined;
}

/** A search across types: each type `_type` names must be searchable; without `_type`, at least one type must be. */
function typelessSearchRefusal(query: string, { permits, resourceTypes }: AccessRules): FhirError | undefined {
  if (permits === undefined) return undefined;
  const named = new URLSearchParams(query).getAll('_type').flatMap((value) => value.split(',')).filter((type) => type !== '');
  const types = named.length > 0 ? named : resourceTypes;
  const allowed = named.length > 0 ? types.every((type) => permits('search', type)) : types.some((type) => permits('search', type));
  return allowed ? undefined : forbidden(`The access granted to this request does not cover search of ${named.length > 0 ? named.join(', ') : 'any resource type'}`);
}
