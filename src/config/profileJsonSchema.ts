import * as z from 'zod';
import { profileSchema } from './profileSchema.js';

/** The profile format as JSON Schema, for editors (profiles/profile.schema.json is this, written out). */
export function profileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(profileSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://patients-sandbox.dev/profile.schema.json',
    title: 'patients-sandbox profile',
    description: 'A named scenario: tenants and their hospital FHIR servers, OAuth clients, token policy and faults.',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}
