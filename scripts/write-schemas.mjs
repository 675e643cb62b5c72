// Rewrites profiles/profile.schema.json and profiles/scenario.schema.json from the built code (run `npm run build` first).
// The tests fail when a published file and the code disagree.
import { writeFileSync } from 'node:fs';
import { profileJsonSchema } from '../dist/config/profileJsonSchema.js';
import { scenarioJsonSchema } from '../dist/scenarios/scenarioJsonSchema.js';

const write = (file, schema) => writeFileSync(new URL(`../profiles/${file}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
write('profile.schema.json', profileJsonSchema());
write('scenario.schema.json', scenarioJsonSchema());
