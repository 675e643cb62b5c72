/**
 * Compiles a FHIR JSON Schema (the HL7 STU3 fhir.schema.json, or the DSTU2 one converted from the
 * XSD) into plain closures, one per definition, compiled on first use. Beyond what a generic JSON
 * Schema engine does with these files, it applies three FHIR JSON rules the schema cannot express:
 * - objects are closed: a property no definition in the allOf chain declares is an error (the
 *   STU3 schema's allOf layout leaves `additionalProperties` open, so `careProvider` on an STU3
 *   Patient would otherwise pass);
 * - a resource is chosen by its `resourceType` instead of trying every member of the oneOf, which
 *   is fast and names the real problem instead of "matches none of 118 schemas";
 * - a required element is present when either `name` or its extension sibling `_name` is.
 */
import type { ValidationIssue } from '../validateResource.js';
import { describe, isJsonObject } from './describe.js';
import { fhirPattern } from './patterns.js';
import type { SchemaDocument, SchemaNode } from './schemaTypes.js';
import { RESOURCE_LIST } from './schemaTypes.js';

/** Appends the problems of `value` (found at `path`) to `issues`. */
export type Check = (value: unknown, path: string, issues: ValidationIssue[]) => void;

// Abstract types: STU3 3.0.1 lists DomainResource in ResourceList, but nothing can be one.
const ABSTRACT_TYPES = new Set(['Resource', 'DomainResource']);
const REF_PREFIX = '#/definitions/';
const LISTED_ENUM_VALUES = 12;

/** A check for "any resource of this schema", the entry point for validation. */
export function compileSchema(document: SchemaDocument, versionLabel: string): Check {
  return new SchemaCompiler(document.definitions, versionLabel).resource;
}

class SchemaCompiler {
  readonly resource: Check;
  private readonly checks = new Map<string, Check>();
  private readonly resourceTypes: ReadonlySet<string>;

  constructor(
    private readonly definitions: Readonly<Record<string, SchemaNode>>,
    private readonly versionLabel: string,
  ) {
    const listed = (definitions[RESOURCE_LIST]?.oneOf ?? []).map((member) => refName(member.$ref));
    this.resourceTypes = new Set(listed.filter((name) => !ABSTRACT_TYPES.has(name) && name in definitions));
    if (this.resourceTypes.size === 0) throw new TypeError(`schema has no ${RESOURCE_LIST} of resource types`);
    this.resource = this.resourceByType();
  }

  /** The check for a named definition; compiled on first call, so recursive types are fine. */
  private definition(name: string): Check {
    const existing = this.checks.get(name);
    if (existing) return existing;
    let compiled: Check | undefined;
    const check: Check = (value, path, issues) => (compiled ??= this.compileDefinition(name))(value, path, issues);
    this.checks.set(name, check);
    return check;
  }

  private compileDefinition(name: string): Check {
    if (name === RESOURCE_LIST) return this.resource;
    const node = this.definitions[name];
    if (!node) throw new TypeError(`schema references a missing definition "${name}"`);
    return this.node(node, name, this.resourceTypes.has(name));
  }

  private resourceByType(): Check {
    return (value, path, issues) => {
      if (!isJsonObject(value)) {
        issues.push({ path, message: `expected a resource (an object with resourceType), got ${describe(value)}` });
        return;
      }
      const type = value.resourceType;
      const typePath = path ? `${path}.resourceType` : 'resourceType';
      if (typeof type !== 'string') {
        issues.push({ path: typePath, message: `missing resourceType (got ${describe(type)})` });
      } else if (!this.resourceTypes.has(type)) {
        issues.push({ path: typePath, message: `${describe(type)} is not a resource type of ${this.versionLabel}` });
      } else {
        this.definition(type)(value, path || type, issues);
      }
    };
  }

  private node(node: SchemaNode, label: string, isResource = false, nullItems = false): Check {
    if (node.$ref !== undefined) return this.definition(refName(node.$ref));
    if (node.type === 'array') return this.array(node, label, nullItems);
    if (node.properties !== undefined || node.allOf !== undefined) return this.object(node, label, isResource);
    if (node.oneOf !== undefined) throw new TypeError(`${label}: oneOf is only supported as the ${RESOURCE_LIST}`);
    // An empty schema allows any value: R4's `xhtml` (Narrative.div) is declared without a type.
    if (Object.keys(node).every((key) => key === 'description')) return acceptAnything;
    return scalar(node);
  }

  private array(node: SchemaNode, label: string, nullItems: boolean): Check {
    // STU3 3.0.1 puts some codes' enum on the array rather than on its items; it means the items.
    const itemNode: SchemaNode = node.enum && node.items ? { ...node.items, enum: node.enum } : (node.items ?? {});
    const item = this.node(itemNode, label);
    return (value, path, issues) => {
      if (!Array.isArray(value)) {
        issues.push({ path, message: `expected an array, got ${describe(value)}` });
        return;
      }
      for (let i = 0; i < value.length; i++) {
        const entry: unknown = value[i];
        // `_given: [null, {…}]` keeps extensions aligned with the values they belong to.
        if (entry === null && nullItems) continue;
        item(entry, `${path}[${i}]`, issues);
      }
    };
  }

  private object(node: SchemaNode, label: string, isResource: boolean): Check {
    const properties = new Map<string, SchemaNode>();
    const requiredSet = new Set<string>();
    this.collect(node, properties, requiredSet, new Set());
    const checks = new Map<string, Check>();
    for (const [key, property] of properties) {
      checks.set(key, this.node(property, `${label}.${key}`, false, key.startsWith('_')));
    }
    const required = [...requiredSet].filter((key) => key !== 'resourceType');
    const shown = label.replace(/_/g, '.');
    const { versionLabel } = this;
    return (value, path, issues) => {
      if (!isJsonObject(value)) {
        issues.push({ path, message: `expected an object (${shown}), got ${describe(value)}` });
        return;
      }
      for (const key of Object.keys(value)) {
        const check = checks.get(key);
        if (check) check(value[key], `${path}.${key}`, issues);
        else if (!(isResource && key === 'resourceType')) {
          issues.push({ path: `${path}.${key}`, message: `unknown element "${key}": ${shown} has no such element in ${versionLabel}` });
        }
      }
      for (const key of required) {
        if (value[key] === undefined && value[`_${key}`] === undefined) {
          issues.push({ path: `${path}.${key}`, message: `missing required element "${key}" of ${shown}` });
        }
      }
    };
  }

  /** Merges the properties and required lists along a definition's allOf/$ref chain; later parts win. */
  private collect(node: SchemaNode, properties: Map<string, SchemaNode>, required: Set<string>, seen: Set<string>): void {
    if (node.$ref !== undefined) {
      const name = refName(node.$ref);
      const target = this.definitions[name];
      if (!target) throw new TypeError(`schema references a missing definition "${name}"`);
      if (seen.has(name)) return;
      seen.add(name);
      this.collect(target, properties, required, seen);
    }
    for (const part of node.allOf ?? []) this.collect(part, properties, required, seen);
    for (const [key, property] of Object.entries(node.properties ?? {})) properties.set(key, property);
    for (const key of node.required ?? []) required.add(key);
  }
}

const acceptAnything: Check = () => {};

function scalar(node: SchemaNode): Check {
  const allowed = node.enum ?? (node.const !== undefined ? [node.const] : undefined);
  const type = node.type ?? (allowed ? 'string' : undefined);
  switch (type) {
    case 'string':
      return stringCheck(node, allowed);
    case 'number':
      return typed('a number', (value) => typeof value === 'number' && Number.isFinite(value));
    case 'integer':
      return typed('an integer', (value) => Number.isInteger(value));
    case 'boolean':
      return typed('a boolean', (value) => typeof value === 'boolean');
    default:
      throw new TypeError(`unsupported schema node ${JSON.stringify(node).slice(0, 80)}`);
  }
}

function typed(expected: string, accepts: (value: unknown) => boolean): Check {
  return (value, path, issues) => {
    if (!accepts(value)) issues.push({ path, message: `expected ${expected}, got ${describe(value)}` });
  };
}

function stringCheck(node: SchemaNode, allowed: readonly string[] | undefined): Check {
  const allowedSet = allowed ? new Set(allowed) : undefined;
  const listed = allowed
    ? allowed.slice(0, LISTED_ENUM_VALUES).join(', ') + (allowed.length > LISTED_ENUM_VALUES ? ', …' : '')
    : '';
  const regExp = node.pattern !== undefined ? fhirPattern(node.pattern) : undefined;
  const minLength = node.minLength ?? 0;
  return (value, path, issues) => {
    if (typeof value !== 'string') {
      issues.push({ path, message: `expected a string, got ${describe(value)}` });
    } else if (allowedSet && !allowedSet.has(value)) {
      issues.push({ path, message: `${describe(value)} is not one of the required codes: ${listed}` });
    } else if (regExp && !regExp.test(value)) {
      issues.push({ path, message: `${describe(value)} does not match the FHIR format ${node.pattern ?? ''}` });
    } else if (value.length < minLength) {
      issues.push({ path, message: 'must not be empty' });
    }
  };
}

function refName(ref: string | undefined): string {
  if (ref === undefined || !ref.startsWith(REF_PREFIX)) throw new TypeError(`unsupported $ref ${String(ref)}`);
  return ref.slice(REF_PREFIX.length);
}
