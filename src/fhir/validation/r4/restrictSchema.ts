/**
 * Cuts a FHIR JSON schema down to the definitions and elements of a reference schema of the same
 * release. Medplum publishes HL7's R4 4.0.1 fhir.schema.json with its own resource types and
 * elements added (Meta.project, OperationOutcome.status, …); restricted to what HL7's published R4
 * schema defines, it is HL7's schema again. Descriptions are dropped: nothing reads them.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface SchemaFile {
  definitions: Record<string, Json>;
}

export interface Restriction {
  definitions: Record<string, Json>;
  /** Where the restricted schema still differs from the reference, as `Definition.path: what`. */
  differences: string[];
}

/** The source's definitions, only those the reference has and only with the elements it has. */
export function restrictSchema(source: SchemaFile, reference: SchemaFile): Restriction {
  const definitions: Record<string, Json> = {};
  const differences: string[] = [];
  for (const [name, referenceNode] of Object.entries(reference.definitions)) {
    const sourceNode = source.definitions[name];
    if (sourceNode === undefined) throw new TypeError(`the source schema has no definition "${name}"`);
    const restricted = restrictNode(sourceNode, referenceNode);
    definitions[name] = restricted;
    compare(restricted, withoutDescriptions(referenceNode), name, differences);
  }
  return { definitions, differences };
}

function restrictNode(node: Json, reference: Json | undefined): Json {
  if (Array.isArray(node)) {
    const referenceItems = Array.isArray(reference) ? reference : [];
    // A list of alternatives (ResourceList's oneOf) keeps the members the reference lists.
    if (node.every(isRef) && referenceItems.every(isRef)) {
      const kept = new Set(referenceItems.map((item) => (item as JsonObject)['$ref']));
      return node.filter((item) => kept.has((item as JsonObject)['$ref']));
    }
    return node.map((item, index) => restrictNode(item, referenceItems[index]));
  }
  if (!isObject(node)) return node;
  const referenceObject = isObject(reference) ? reference : {};
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (isAnnotation(key, value)) continue;
    if (key === 'properties' && isObject(value)) {
      const referenceProperties = isObject(referenceObject['properties']) ? referenceObject['properties'] : {};
      const properties: JsonObject = {};
      for (const [property, definition] of Object.entries(value)) {
        if (property in referenceProperties) properties[property] = restrictNode(definition, referenceProperties[property]);
      }
      result[key] = properties;
    } else {
      result[key] = restrictNode(value, referenceObject[key]);
    }
  }
  return result;
}

function withoutDescriptions(node: Json): Json {
  if (Array.isArray(node)) return node.map(withoutDescriptions);
  if (!isObject(node)) return node;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(node)) if (!isAnnotation(key, value)) result[key] = withoutDescriptions(value);
  return result;
}

function compare(actual: Json | undefined, expected: Json | undefined, path: string, differences: string[]): void {
  if (JSON.stringify(actual) === JSON.stringify(expected)) return;
  if (isObject(actual) && isObject(expected)) {
    for (const key of new Set([...Object.keys(actual), ...Object.keys(expected)])) compare(actual[key], expected[key], `${path}.${key}`, differences);
    return;
  }
  if (Array.isArray(actual) && Array.isArray(expected) && actual.every((item) => typeof item === 'string') && expected.every((item) => typeof item === 'string')) {
    const added = actual.filter((item) => !expected.includes(item));
    const removed = expected.filter((item) => !actual.includes(item));
    differences.push(`${path}: ${[...added.map((item) => `+${String(item)}`), ...removed.map((item) => `-${String(item)}`)].join(' ') || 'order'}`);
    return;
  }
  differences.push(`${path}: ${JSON.stringify(actual)?.slice(0, 80)} instead of ${JSON.stringify(expected)?.slice(0, 80)}`);
}

/** A schema node's `description` text, as opposed to an element named "description" among `properties`. */
function isAnnotation(key: string, value: Json): boolean {
  return key === 'description' && typeof value === 'string';
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRef(value: Json): boolean {
  return isObject(value) && typeof value['$ref'] === 'string' && Object.keys(value).length === 1;
}
