import { badRequest, unprocessable } from '../outcome.js';
import type { Resource } from '../types.js';
import { validateResource } from '../validation/validateResource.js';
import type { VersionAdapter } from '../versions/versionAdapter.js';
import { assertValidId } from './resourceId.js';

/**
 * A create or update body, refused before anything is stored: 400 when it is not the resource the
 * URL names, 422 (one issue per element) when it breaks the version's official definitions.
 */
export function checkIncomingResource(body: unknown, type: string, adapter: VersionAdapter, urlId?: string): Resource {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`The body must be a ${type} resource as a JSON object`, type);
  }
  const resource = body as Record<string, unknown>;
  if (resource['resourceType'] !== type) {
    throw badRequest(`The body's resourceType must be "${type}"; got ${JSON.stringify(resource['resourceType'] ?? null)}`, `${type}.resourceType`);
  }
  if (urlId !== undefined) {
    if (resource['id'] === undefined) throw badRequest(`An update must carry the id "${urlId}" in the resource`, `${type}.id`);
    if (resource['id'] !== urlId) {
      throw badRequest(`The resource id ${JSON.stringify(resource['id'])} does not match the URL id "${urlId}"`, `${type}.id`);
    }
  }
  if (typeof resource['id'] === 'string') assertValidId(resource['id']);
  const issues = validateResource(adapter.version, resource);
  if (issues.length > 0) throw unprocessable(issues.map((issue) => ({ expression: issue.path, message: issue.message })));
  return resource as Resource;
}
