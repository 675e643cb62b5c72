/** Reading FHIR JSON that came off the wire: nothing is trusted to have the shape it should. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; problem: string };

/** The body as JSON, or why it is not: empty, markup (XML or HTML), or broken JSON. */
export function parseJsonBody(text: string): ParsedBody {
  const trimmed = text.trimStart();
  if (trimmed === '') return { ok: false, problem: 'the body is empty' };
  if (trimmed.startsWith('<')) return { ok: false, problem: `the body is markup, not JSON: ${JSON.stringify(trimmed.slice(0, 60))}` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, problem: `the body is not valid JSON (${(error as Error).message})` };
  }
}

export function resourceTypeOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.resourceType === 'string' ? value.resourceType : undefined;
}

/** `Type/id` of a resource, for messages and de-duplication. */
export function resourceKey(resource: JsonObject): string {
  return `${String(resource.resourceType)}/${typeof resource.id === 'string' ? resource.id : '?'}`;
}

export function bundleEntries(bundle: JsonObject): JsonObject[] {
  return Array.isArray(bundle.entry) ? bundle.entry.filter(isObject) : [];
}

/** The resources of a Bundle's entries, in order. */
export function bundleResources(bundle: JsonObject): JsonObject[] {
  return bundleEntries(bundle).flatMap((entry) => (isObject(entry.resource) ? [entry.resource] : []));
}

export function bundleLink(bundle: JsonObject, relation: string): string | undefined {
  const links = Array.isArray(bundle.link) ? bundle.link.filter(isObject) : [];
  const url = links.find((link) => link.relation === relation)?.url;
  return typeof url === 'string' ? url : undefined;
}

/** What is wrong with a searchset Bundle's frame (type, total, self link, entry fullUrl and search.mode), if anything. */
export function searchsetProblem(value: unknown): string | undefined {
  if (!isObject(value) || value.resourceType !== 'Bundle') return `expected a Bundle, got ${resourceTypeOf(value) ?? 'no resource'}`;
  if (value.type !== 'searchset') return `expected a searchset Bundle, got type ${JSON.stringify(value.type)}`;
  if (typeof value.total !== 'number') return 'the searchset has no total';
  if (bundleLink(value, 'self') === undefined) return 'the searchset has no self link';
  const entries = bundleEntries(value);
  const withoutUrl = entries.findIndex((entry) => typeof entry.fullUrl !== 'string');
  if (withoutUrl !== -1) return `entry[${withoutUrl}] has no fullUrl`;
  const notMatch = entries.findIndex((entry) => isObject(entry.resource) && entry.resource.resourceType !== 'OperationOutcome' && searchMode(entry) !== 'match');
  if (notMatch !== -1) return `entry[${notMatch}].search.mode is not "match"`;
  return undefined;
}

function searchMode(entry: JsonObject): unknown {
  return isObject(entry.search) ? entry.search.mode : undefined;
}
