import { describe, expect, it } from 'vitest';
import { restrictSchema } from '../../src/fhir/validation/r4/restrictSchema.js';

/** A release's schema as its npm carrier extends it, and the reference schema of the same release. */
const carrier = {
  definitions: {
    ResourceList: { oneOf: [{ $ref: '#/definitions/Patient' }, { $ref: '#/definitions/Project' }] },
    Meta: {
      description: 'Metadata',
      properties: { versionId: { $ref: '#/definitions/id' }, project: { $ref: '#/definitions/uri' } },
      additionalProperties: false,
    },
    Patient: {
      properties: {
        resourceType: { const: 'Patient' },
        description: { $ref: '#/definitions/string' },
        meta: { $ref: '#/definitions/Meta' },
        gender: { enum: ['male', 'female', 'other', 'unknown'] },
      },
      required: ['resourceType'],
    },
    Project: { properties: { resourceType: { const: 'Project' } } },
  },
};

const reference = {
  definitions: {
    ResourceList: { oneOf: [{ $ref: '#/definitions/Patient' }] },
    Meta: { description: 'Metadata about a resource', properties: { versionId: { $ref: '#/definitions/id' } }, additionalProperties: false },
    Patient: {
      properties: {
        resourceType: { const: 'Patient' },
        description: { $ref: '#/definitions/string' },
        meta: { $ref: '#/definitions/Meta' },
        gender: { enum: ['male', 'female', 'other'] },
      },
      required: ['resourceType'],
    },
  },
};

describe('restrictSchema', () => {
  it('keeps only the reference\'s definitions, resource types and elements, without description texts', () => {
    const { definitions } = restrictSchema(carrier, reference);
    expect(Object.keys(definitions)).toEqual(['ResourceList', 'Meta', 'Patient']);
    expect(definitions['ResourceList']).toEqual({ oneOf: [{ $ref: '#/definitions/Patient' }] });
    expect(definitions['Meta']).toEqual({ properties: { versionId: { $ref: '#/definitions/id' } }, additionalProperties: false });
    // An element that happens to be called "description" stays; only description texts go.
    expect(Object.keys((definitions['Patient'] as { properties: object }).properties)).toEqual(['resourceType', 'description', 'meta', 'gender']);
  });

  it('keeps the carrier\'s values where both have the element, and reports where they still differ', () => {
    const { definitions, differences } = restrictSchema(carrier, reference);
    expect((definitions['Patient'] as { properties: { gender: unknown } }).properties.gender).toEqual({ enum: ['male', 'female', 'other', 'unknown'] });
    expect(differences).toEqual(['Patient.properties.gender.enum: +unknown']);
  });

  it('refuses a carrier that lacks one of the reference\'s definitions', () => {
    expect(() => restrictSchema({ definitions: {} }, reference)).toThrow(/no definition "ResourceList"/);
  });
});
