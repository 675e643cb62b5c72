import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { packageRoot } from '../../../src/lib/packageRoot.js';

/** The documented JSON shape of a check report (docs/check-report.schema.json), compiled once. */
export function reportValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(path.join(packageRoot, 'docs', 'check-report.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ strict: true, allErrors: true });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('date-time', (value: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value) && !Number.isNaN(Date.parse(value)));
  return ajv.compile(schema);
}
