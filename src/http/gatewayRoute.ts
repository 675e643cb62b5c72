import type { FaultInteraction } from '../faults/types.js';

/** What the gateway needs to know about a path below `/fhir/<version>/` before the FHIR core sees it. */
export interface GatewayRoute {
  /** Route pattern for logs and metrics, e.g. "/fhir/:version/:type/:id". */
  pattern: string;
  interaction: FaultInteraction;
  resourceType?: string;
  /** The request carries a body the gateway must parse (batch, create, update, POST _search). */
  hasBody: boolean;
  /** That body must be FHIR JSON (everything but a POST _search form). */
  jsonBody: boolean;
  /** A public document the gateway writes itself, without a token: metadata, SMART discovery. */
  document?: 'capability' | 'smart-configuration';
}

export const SMART_CONFIGURATION_PATH = '.well-known/smart-configuration';

/** The pattern of a read, update or delete of one resource. */
export const INSTANCE_PATTERN = '/fhir/:version/:type/:id';

const METHODS_BY_SHAPE = {
  base: ['GET', 'POST'],
  type: ['GET', 'POST'],
  search: ['GET', 'POST'],
  instance: ['GET', 'PUT', 'DELETE'],
  history: ['GET'],
  exportKickoff: ['GET'],
  exportStatus: ['GET', 'DELETE'],
  exportFile: ['GET'],
} as const;

/** An export file's name, `<Type>-<n>.ndjson`: the type lets fault rules match downloads by resource type. */
const EXPORT_FILE_NAME = /^([A-Z][A-Za-z]*)-\d+\.ndjson$/;

/**
 * Classifies `rest` (the path after `/fhir/<version>/`, no leading or trailing slash). Returns
 * `allowed` instead when the method does not fit the shape, and undefined for shapes the gateway
 * does not route (the FHIR core answers those with its own OperationOutcome).
 */
export function classifyGatewayPath(method: string, rest: string): GatewayRoute | { allowed: readonly string[] } | undefined {
  const segments = rest === '' ? [] : rest.split('/');
  const [type, second, third] = segments;
  // Bulk Data paths are the only ones with a "$" segment: one cheap test keeps them off the common path.
  if (type?.startsWith('$') || second === '$export' || third === '$export') return classifyExport(method, segments);
  if (segments.length === 0) return checked('base', method, { pattern: '/fhir/:version', interaction: method === 'POST' ? 'batch' : 'search', hasBody: method === 'POST', jsonBody: true });
  if (segments.length === 1 && type === 'metadata') {
    return method === 'GET' ? { pattern: '/fhir/:version/metadata', interaction: 'metadata', document: 'capability', hasBody: false, jsonBody: false } : { allowed: ['GET'] };
  }
  if (rest === SMART_CONFIGURATION_PATH) {
    // Fault rules on `metadata` reach the discovery document too: both are what a client reads first.
    const route: GatewayRoute = { pattern: `/fhir/:version/${SMART_CONFIGURATION_PATH}`, interaction: 'metadata', document: 'smart-configuration', hasBody: false, jsonBody: false };
    return method === 'GET' ? route : { allowed: ['GET'] };
  }
  if (segments.length === 1) {
    return checked('type', method, { pattern: '/fhir/:version/:type', interaction: method === 'POST' ? 'write' : 'search', resourceType: type, hasBody: method === 'POST', jsonBody: true });
  }
  if (segments.length === 2 && second === '_search') {
    return checked('search', method, { pattern: '/fhir/:version/:type/_search', interaction: 'search', resourceType: type, hasBody: method === 'POST', jsonBody: false });
  }
  if (segments.length === 2) {
    const write = method === 'PUT' || method === 'DELETE';
    return checked('instance', method, { pattern: INSTANCE_PATTERN, interaction: write ? 'write' : 'read', resourceType: type, hasBody: method === 'PUT', jsonBody: true });
  }
  if (segments.length === 4 && third === '_history') {
    return checked('history', method, { pattern: '/fhir/:version/:type/:id/_history/:versionId', interaction: 'read', resourceType: type, hasBody: false, jsonBody: false });
  }
  return undefined;
}

/** Kick-off (`$export`, `Patient/$export`, `Group/<id>/$export`), status and file URLs of a Bulk Data export. */
function classifyExport(method: string, segments: readonly string[]): GatewayRoute | { allowed: readonly string[] } | undefined {
  const [first, second, third] = segments;
  const kickoff = (pattern: string, resourceType?: string) =>
    checked('exportKickoff', method, { pattern, interaction: 'export-kickoff', ...(resourceType ? { resourceType } : {}), hasBody: false, jsonBody: false });
  if (segments.length === 1 && first === '$export') return kickoff('/fhir/:version/$export');
  if (segments.length === 2 && second === '$export') return kickoff('/fhir/:version/:type/$export', first);
  if (segments.length === 3 && third === '$export') return kickoff('/fhir/:version/:type/:id/$export', first);
  if (segments.length === 2 && first === '$export-status') {
    return checked('exportStatus', method, { pattern: '/fhir/:version/$export-status/:job', interaction: 'export-status', hasBody: false, jsonBody: false });
  }
  if (segments.length === 3 && first === '$export-file') {
    const resourceType = EXPORT_FILE_NAME.exec(third ?? '')?.[1];
    const route: GatewayRoute = { pattern: '/fhir/:version/$export-file/:job/:file', interaction: 'export-file', hasBody: false, jsonBody: false };
    return checked('exportFile', method, resourceType === undefined ? route : { ...route, resourceType });
  }
  return undefined;
}

function checked(shape: keyof typeof METHODS_BY_SHAPE, method: string, route: GatewayRoute): GatewayRoute | { allowed: readonly string[] } {
  const allowed: readonly string[] = METHODS_BY_SHAPE[shape];
  return allowed.includes(method) ? route : { allowed };
}
