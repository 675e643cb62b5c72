/**
 * The committed R4 schema is HL7's R4 fhir.schema.json (see docs/validation.md). A generic JSON
 * Schema engine (ajv) running it agrees with the validator on where a resource is wrong; the
 * validator is stricter only on elements FHIR JSON forbids.
 */
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import r4Schema from '../../src/fhir/validation/r4/fhir-r4.schema.json' with { type: 'json' };
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { copy, r4Condition, r4Patient, searchset } from './fixtures.js';

type Definitions = Record<string, unknown>;

let ajvValidate: ValidateFunction;

beforeAll(() => {
  const definitions: Definitions = {
    ...(r4Schema.definitions as Definitions),
    // Only the types used here stay in ResourceList: compiling all 146 alternatives takes ajv seconds.
    ResourceList: { oneOf: ['Patient', 'Condition', 'Bundle'].map((name) => ({ $ref: `#/definitions/${name}` })) },
  };
  const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
  ajvValidate = ajv.compile({ definitions, $ref: '#/definitions/ResourceList' });
});

function ajvPaths(resource: unknown): string[] {
  return ajvValidate(resource) ? [] : (ajvValidate.errors ?? []).map((error) => error.instancePath);
}

function ourPointers(resource: unknown): string[] {
  return validateResource('r4', resource).map((issue) =>
    `/${issue.path.split('.').slice(1).join('/')}`.replace(/\[(\d+)\]/g, '/$1').replace(/^\/$/, ''),
  );
}

describe('agreement with ajv on the R4 schema', () => {
  it('holds HL7\'s 146 R4 resource types and none of its npm carrier\'s own', () => {
    const types = ((r4Schema.definitions as Definitions)['ResourceList'] as { oneOf: Array<{ $ref: string }> }).oneOf.map((member) => member.$ref.split('/').pop());
    expect(types).toHaveLength(146);
    expect(types).toContain('MedicationKnowledge');
    expect(types).not.toContain('Project');
    expect(types).not.toContain('Bot');
  });

  it('both accept the valid fixtures', () => {
    for (const resource of [r4Patient, r4Condition, searchset('http://x/fhir/r4', [r4Patient, r4Condition])]) {
      expect(ajvPaths(resource)).toEqual([]);
      expect(ourPointers(resource)).toEqual([]);
    }
  });

  it('both reject wrong types and wrong codes at the same place', () => {
    const cases: Array<[unknown, string]> = [
      [{ ...r4Patient, birthDate: 19510823 }, '/birthDate'],
      [{ ...r4Patient, birthDate: '23/08/1951' }, '/birthDate'],
      [{ ...r4Patient, gender: 'f' }, '/gender'],
      [{ ...copy(r4Condition), recordedDate: 'yesterday' }, '/recordedDate'],
    ];
    for (const [resource, pointer] of cases) {
      expect(ajvPaths(resource)).toContain(pointer);
      expect(ourPointers(resource)).toEqual([pointer]);
    }
  });

  it('both reject unknown elements: the R4 schema closes its objects', () => {
    const patient = { ...r4Patient, careProvider: [{ display: 'Jane Doe' }] };
    expect(ajvPaths(patient)).toContain('');
    expect(ourPointers(patient)).toEqual(['/careProvider']);
  });

  it('is stricter than the schema alone where a complex element gets a string: its definitions do not say "object"', () => {
    const stu3Shaped = { ...r4Condition, clinicalStatus: 'active' };
    expect(ajvPaths(stu3Shaped)).toEqual([]);
    expect(ourPointers(stu3Shaped)).toEqual(['/clinicalStatus']);
  });
});
