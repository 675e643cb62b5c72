import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Resource } from '../../fhir/types.js';

/**
 * A tenant's data on disk in json-server's db.json shape, `{ "Patient": [ … ], "Observation": [ … ] }`,
 * laid out one resource per line. The layout is still plain JSON (json-server and jq read it), and it
 * lets the sandbox stream files far larger than one JavaScript string can hold.
 */

/** The file's text, chunk by chunk, from resources grouped by type (each resource already JSON, as text or UTF-8 bytes). */
export function* dbJsonChunks(collections: Iterable<readonly [type: string, resources: Iterable<string | Buffer>]>): Generator<string | Buffer> {
  yield '{';
  let firstType = true;
  for (const [type, resources] of collections) {
    yield `${firstType ? '' : ','}\n${JSON.stringify(type)}: [`;
    firstType = false;
    let first = true;
    for (const json of resources) {
      yield first ? '\n' : ',\n';
      yield json;
      first = false;
    }
    yield '\n]';
  }
  yield '\n}\n';
}

// Files this small are parsed whole, so hand-edited files with any layout load too.
const WHOLE_PARSE_LIMIT = 64 * 1024 * 1024;

/** Reads a db.json and hands every resource to `accept`, in file order. */
export async function readDbJson(file: string, accept: (resource: Resource) => void): Promise<void> {
  if (statSync(file).size <= WHOLE_PARSE_LIMIT) {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DbJsonError(file, 0, 'must hold one object: { "Patient": [ … ], … }');
    for (const [type, resources] of Object.entries(parsed)) {
      if (!Array.isArray(resources)) throw new DbJsonError(file, 0, `"${type}" must be an array of resources`);
      resources.forEach((resource: unknown, index) => accept(checkResource(resource, type, file, `${type}[${index}]`)));
    }
    return;
  }
  await readLineLayout(file, accept);
}

async function readLineLayout(file: string, accept: (resource: Resource) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let type = '';
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    const line = raw.trim();
    const header = /^,?\s*"([A-Za-z]+)"\s*:\s*\[\s*$/.exec(line);
    if (header) {
      type = header[1] as string;
      continue;
    }
    if (line === '{' || line === '}' || line === ']' || line === '],' || line === '') continue;
    const text = line.endsWith(',') ? line.slice(0, -1) : line;
    const body = text.startsWith(',') ? text.slice(1) : text;
    let resource: unknown;
    try {
      resource = JSON.parse(body);
    } catch (error) {
      throw new DbJsonError(file, lineNumber, `is not one resource per line as the sandbox writes it (${(error as Error).message})`);
    }
    accept(checkResource(resource, type, file, `line ${lineNumber}`));
  }
}

function checkResource(resource: unknown, type: string, file: string, where: string): Resource {
  if (!resource || typeof resource !== 'object' || (resource as Resource).resourceType !== type) {
    throw new DbJsonError(file, 0, `${where}: expected a ${type} resource`);
  }
  return resource as Resource;
}

export class DbJsonError extends Error {
  readonly code = 'DB_JSON_INVALID';
  readonly file: string;
  constructor(file: string, line: number, message: string) {
    super(`${file}${line > 0 ? `:${line}` : ''}: ${message}`);
    this.name = 'DbJsonError';
    this.file = file;
  }
}
