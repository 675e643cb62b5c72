/**
 * The subset of JSON Schema (draft-04/06) that the FHIR schemas use. The HL7 STU3 fhir.schema.json
 * is written in it, and the DSTU2 converter emits it, so one compiler serves both versions.
 */
export interface SchemaNode {
  $ref?: string;
  allOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  pattern?: string;
  minLength?: number;
  enum?: string[];
  const?: string;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  description?: string;
}

/** A whole schema document: everything lives under `definitions`, as in fhir.schema.json. */
export interface SchemaDocument {
  definitions: Record<string, SchemaNode>;
}

/** Name of the definition listing every resource type (the target of `contained` and `Bundle.entry.resource`). */
export const RESOURCE_LIST = 'ResourceList';
