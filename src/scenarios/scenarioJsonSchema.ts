import * as z from 'zod';
import { scenarioSchema } from './scenarioSchema.js';

/** The scenario format as JSON Schema, for editors (profiles/scenario.schema.json is this, written out). */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://patients-sandbox.dev/scenario.schema.json',
    title: 'patients-sandbox scenario',
    description: 'A timeline of control actions (presets, fault rules, token and key changes), each at an offset from the moment the scenario starts.',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}
