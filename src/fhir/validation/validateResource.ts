/**
 * Validates a FHIR resource (a Bundle included, with whatever resources its entries hold) against
 * the official definitions of its FHIR version: its schema, and the Bundle invariants a schema
 * cannot express. Used by the tests and by the create/update
 * handlers to refuse invalid input with an error naming the field.
 */
import { LIMITS_IN_WORDS, nestsDeeperThan } from '../resourceLimits.js';
import type { FhirVersion } from '../types.js';
import { checkBundleInvariants } from './bundleInvariants.js';
import type { Check } from './lib/compileSchema.js';
import { compileSchema } from './lib/compileSchema.js';
import { loadSchemaDocument } from './lib/schemaSources.js';

export interface ValidationIssue {
  path: string;
  message: string;
}

const VERSION_LABELS: Readonly<Record<FhirVersion, string>> = {
  dstu2: 'FHIR DSTU2',
  stu3: 'FHIR STU3',
  r4: 'FHIR R4',
};

const validators = new Map<FhirVersion, Check>();

/** Problems found in `resource`; an empty array means it is valid. */
export function validateResource(version: FhirVersion, resource: unknown): ValidationIssue[] {
  // The checks recurse once per level: refuse what could overflow the stack before walking it.
  if (nestsDeeperThan(resource)) {
    const type = (resource as { resourceType?: unknown }).resourceType;
    return [{ path: typeof type === 'string' ? type : '', message: `nests deeper than this server validates (at most ${LIMITS_IN_WORDS.depth})` }];
  }
  const issues: ValidationIssue[] = [];
  validatorFor(version)(resource, '', issues);
  checkBundleInvariants(version, resource, 'Bundle', issues);
  return issues;
}

/** Compiles a version's schema once; its definitions are themselves compiled on first use. */
function validatorFor(version: FhirVersion): Check {
  let validator = validators.get(version);
  if (!validator) {
    const label = VERSION_LABELS[version];
    if (!label) throw new TypeError(`unknown FHIR version ${String(version)}`);
    validator = compileSchema(loadSchemaDocument(version), label);
    validators.set(version, validator);
  }
  return validator;
}
