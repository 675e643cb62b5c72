import { queryPairs } from '../fhir/text/queryPairs.js';

/**
 * A form body as ordered name/value pairs. Kept flat on purpose: FHIR search and OAuth both allow a
 * name to repeat, and neither wants `a[b]=c` turned into nested objects.
 */
export function parseFormBody(body: unknown): Array<[string, string]> {
  if (typeof body !== 'string' || body === '') return [];
  return queryPairs(body);
}
