/**
 * Converts the HL7 FHIR XML Schema (fhir-single.xsd) into the JSON Schema layout of the HL7 STU3
 * fhir.schema.json, following the FHIR JSON mapping rules: a complex type whose only content is a
 * `value` attribute is a primitive and becomes a JSON string/number/boolean plus an optional
 * `_name` sibling of type Element; xs:choice members become optional properties (value[x]);
 * attributes (`id`, `url`) become properties; the ResourceContainer choice becomes the
 * `ResourceList` of resource types. DSTU2 has no official JSON schema, so this is how its official
 * definitions reach the validator.
 */
import type { SchemaDocument, SchemaNode } from '../lib/schemaTypes.js';
import { RESOURCE_LIST } from '../lib/schemaTypes.js';
import type { XmlElement } from './parseXml.js';
import { parseXml } from './parseXml.js';

const XS = 'xs:';
const RESOURCE_CONTAINER = 'ResourceContainer';

interface Member {
  name: string;
  type: string;
  min: number;
  repeats: boolean;
}

export function xsdToJsonSchema(xsd: string): SchemaDocument {
  const schema = parseXml(xsd);
  const simpleTypes = byName(schema, 'simpleType');
  const complexTypes = byName(schema, 'complexType');
  // FHIR primitive name ("date", "AdministrativeGender") → the JSON value it holds.
  const primitives = new Map<string, SchemaNode>();
  for (const [name, complexType] of complexTypes) {
    const valueType = primitiveValueType(complexType);
    if (valueType) primitives.set(name, simpleTypeNode(simpleTypes.get(valueType)));
  }

  const definitions: Record<string, SchemaNode> = {};
  const resourceNames = resourceContainerMembers(complexTypes.get(RESOURCE_CONTAINER));
  for (const [name, complexType] of complexTypes) {
    if (primitives.has(name) || name === RESOURCE_CONTAINER) continue;
    definitions[definitionName(name)] = complexTypeNode(name, complexType, primitives, simpleTypes, resourceNames.has(name));
  }
  definitions[RESOURCE_LIST] = { oneOf: [...resourceNames].map((name) => ({ $ref: ref(name) })) };
  return { definitions };
}

function complexTypeNode(
  name: string,
  complexType: XmlElement,
  primitives: Map<string, SchemaNode>,
  simpleTypes: Map<string, XmlElement>,
  isResource: boolean,
): SchemaNode {
  const content = child(complexType, 'complexContent');
  const derivation = content && (child(content, 'extension') ?? child(content, 'restriction'));
  const body = derivation ?? complexType;
  const properties: Record<string, SchemaNode> = {};
  const required: string[] = [];
  if (isResource) properties.resourceType = { type: 'string', enum: [name] };
  if (name === 'Element' || name === 'Resource') {
    // DSTU2's JSON format (json.html) allows comments from the XML form on any object.
    properties.fhir_comments = { type: 'array', items: { type: 'string' } };
  }
  for (const member of members(body)) {
    addMember(member, primitives, properties, required);
  }
  for (const attribute of body.children.filter((c) => c.name === `${XS}attribute`)) {
    const attributeName = attribute.attributes.name ?? '';
    properties[attributeName] = simpleTypeNode(simpleTypes.get(attribute.attributes.type ?? ''));
    if (attribute.attributes.use === 'required') required.push(attributeName);
  }
  const own: SchemaNode = { properties, ...(required.length > 0 ? { required } : {}) };
  // A restriction (SimpleQuantity, Age, …) restates its whole content; only Element's part is inherited.
  const base = derivation?.name === `${XS}extension` ? derivation.attributes.base : derivation ? 'Element' : undefined;
  return base ? { allOf: [{ $ref: ref(base) }, own] } : own;
}

function addMember(member: Member, primitives: Map<string, SchemaNode>, properties: Record<string, SchemaNode>, required: string[]): void {
  const primitive = primitives.get(member.type);
  const many = (node: SchemaNode): SchemaNode => (member.repeats ? { type: 'array', items: node } : node);
  if (primitive) {
    properties[member.name] = many(primitive);
    properties[`_${member.name}`] = many({ $ref: ref('Element') });
  } else if (member.type === 'xhtml:div') {
    properties[member.name] = { type: 'string' };
  } else {
    properties[member.name] = many({ $ref: ref(member.type === RESOURCE_CONTAINER ? RESOURCE_LIST : member.type) });
  }
  if (member.min > 0) required.push(member.name);
}

/** Elements of a type's content model, in order; xs:choice members are optional alternatives. */
function members(body: XmlElement): Member[] {
  const found: Member[] = [];
  const visit = (node: XmlElement, inChoice: boolean, choiceRepeats: boolean): void => {
    for (const c of node.children) {
      if (c.name === `${XS}sequence`) visit(c, inChoice, choiceRepeats);
      else if (c.name === `${XS}choice`) visit(c, true, occursMany(c.attributes.maxOccurs));
      else if (c.name === `${XS}element`) {
        const name = c.attributes.name ?? c.attributes.ref?.replace(/^xhtml:/, '') ?? '';
        const type = c.attributes.type ?? c.attributes.ref ?? '';
        const min = inChoice ? 0 : Number(c.attributes.minOccurs ?? '1');
        found.push({ name, type, min, repeats: choiceRepeats || occursMany(c.attributes.maxOccurs) });
      }
    }
  };
  visit(body, false, false);
  return found;
}

function occursMany(maxOccurs: string | undefined): boolean {
  return maxOccurs === 'unbounded' || Number(maxOccurs ?? '1') > 1;
}

/** The simpleType of the `value` attribute when a complex type is a FHIR primitive, else undefined. */
function primitiveValueType(complexType: XmlElement): string | undefined {
  const extension = child(child(complexType, 'complexContent'), 'extension');
  if (!extension || extension.attributes.base !== 'Element') return undefined;
  if (extension.children.some((c) => c.name !== `${XS}attribute`)) return undefined;
  const value = extension.children.find((c) => c.attributes.name === 'value');
  return value?.attributes.type;
}

function simpleTypeNode(simpleType: XmlElement | undefined): SchemaNode {
  const restriction = child(simpleType, 'restriction');
  const base = restriction?.attributes.base ?? 'xs:string';
  const type = jsonType(base);
  const node: SchemaNode = { type };
  const facets = restriction?.children ?? [];
  const enumeration = facets.filter((f) => f.name === `${XS}enumeration`).map((f) => f.attributes.value ?? '');
  if (enumeration.length > 0) node.enum = enumeration;
  const pattern = facets.find((f) => f.name === `${XS}pattern`)?.attributes.value;
  if (pattern !== undefined && type === 'string') node.pattern = pattern;
  const minLength = facets.find((f) => f.name === `${XS}minLength`)?.attributes.value;
  if (minLength !== undefined && type === 'string') node.minLength = Number(minLength);
  return node;
}

/** FHIR JSON represents boolean and numeric primitives natively, everything else as a string. */
function jsonType(base: string): SchemaNode['type'] {
  switch (base) {
    case 'xs:boolean':
      return 'boolean';
    case 'xs:int':
    case 'xs:positiveInteger':
    case 'xs:nonNegativeInteger':
      return 'integer';
    case 'xs:decimal':
      return 'number';
    default:
      return 'string';
  }
}

function resourceContainerMembers(container: XmlElement | undefined): Set<string> {
  const choice = child(container, 'choice');
  return new Set((choice?.children ?? []).map((c) => c.attributes.ref ?? '').filter((name) => name !== ''));
}

function byName(schema: XmlElement, kind: string): Map<string, XmlElement> {
  const found = new Map<string, XmlElement>();
  for (const c of schema.children) {
    const name = c.attributes.name;
    if (c.name === `${XS}${kind}` && name) found.set(name, c);
  }
  return found;
}

function child(element: XmlElement | undefined, kind: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === `${XS}${kind}`);
}

/** "Patient.Contact" → "Patient_Contact", the naming the STU3 schema uses for backbone elements. */
function definitionName(xsdName: string): string {
  return xsdName.replace(/\./g, '_');
}

function ref(xsdName: string): string {
  return `#/definitions/${definitionName(xsdName)}`;
}
