import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import * as z from 'zod';
import type { Resource } from '../../fhir/types.js';
import { jsonErrorPosition } from './jsonErrorPosition.js';

/**
 * A tenant's data on disk in json-server's db.json shape, `{ "Patient": [ … ], "Observation": [ … ] }`,
 * laid out one resource per line. The layout is still plain JSON (json-server and jq read it), and it
 * lets the sandbox stream files far larger than one JavaScript string can hold.
 *
 * One reserved key, `_sandbox`, written last and only when there is something to keep, holds what
 * is not a resource but must survive a restart: the next server-assigned id number and the ids
 * deleted recently (so they keep answering 410 Gone). json-server serves it as one more object.
 */

export const STORE_STATE_KEY = '_sandbox';

/** A deleted id as db.json keeps it. */
export interface DeletedEntry {
  resourceType: string;
  id: string;
  /** The version the delete created, as meta.versionId spells versions. */
  versionId: string;
  deletedAt: string;
}

/** The `_sandbox` key. */
export interface StoreState {
  nextId: number;
  deleted: DeletedEntry[];
}

const storeStateSchema = z
  .object({
    nextId: z.number().int().min(1),
    deleted: z.array(
      z
        .object({
          resourceType: z.string().regex(/^[A-Z][A-Za-z]+$/, 'must be a resource type name'),
          id: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/, 'must be a FHIR id'),
          versionId: z.string().regex(/^\d+$/, 'must be a version number'),
          deletedAt: z.iso.datetime({ offset: true }),
        })
        .strict(),
    ),
  })
  .strict();

/** The file's text, chunk by chunk, from resources grouped by type (each resource already JSON, as text or UTF-8 bytes). */
export function* dbJsonChunks(
  collections: Iterable<readonly [type: string, resources: Iterable<string | Buffer>]>,
  state?: StoreState,
): Generator<string | Buffer> {
  yield '{';
  let firstKey = true;
  for (const [type, resources] of collections) {
    yield `${firstKey ? '' : ','}\n${JSON.stringify(type)}: [`;
    firstKey = false;
    yield* lines(resources);
    yield '\n]';
  }
  if (state !== undefined) {
    yield `${firstKey ? '' : ','}\n"${STORE_STATE_KEY}": {\n"nextId": ${state.nextId},\n"deleted": [`;
    yield* lines(state.deleted.map((entry) => JSON.stringify(entry)));
    yield '\n]\n}';
  }
  yield '\n}\n';
}

function* lines(jsons: Iterable<string | Buffer>): Generator<string | Buffer> {
  let first = true;
  for (const json of jsons) {
    yield first ? '\n' : ',\n';
    yield json;
    first = false;
  }
}

/** Where a resource sits in its file, for messages: "Patient[3]" or "line 17". */
export type Accept = (resource: Resource, where: string) => void;

// Files this small are parsed whole, so hand-edited files with any layout load too.
const WHOLE_PARSE_LIMIT = 64 * 1024 * 1024;

/**
 * Reads a db.json, hands every resource to `accept` in file order, and returns its `_sandbox` state
 * (undefined when the file has none: written by `seed`, by hand, or by an older version).
 */
export async function readDbJson(file: string, accept: Accept, options: { wholeParseLimit?: number } = {}): Promise<StoreState | undefined> {
  if (statSync(file).size <= (options.wholeParseLimit ?? WHOLE_PARSE_LIMIT)) return readWhole(file, accept);
  return readLineLayout(file, accept);
}

/** JSON.parse of a whole data file; a failure names the file, line and column. */
export function parseDataFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const at = jsonErrorPosition(text);
    throw new DbJsonError(file, at.line, at.column, `not valid JSON: ${at.reason}`);
  }
}

async function readWhole(file: string, accept: Accept): Promise<StoreState | undefined> {
  const parsed = parseDataFile(file, await readFile(file, 'utf8'));
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DbJsonError(file, 0, 0, 'must hold one object: { "Patient": [ … ], … }');
  let state: StoreState | undefined;
  for (const [key, value] of Object.entries(parsed)) {
    if (key === STORE_STATE_KEY) {
      state = checkState(value, file, 0);
      continue;
    }
    if (!Array.isArray(value)) throw new DbJsonError(file, 0, 0, `"${key}" must be an array of resources`);
    value.forEach((resource: unknown, index) => {
      const where = `${key}[${index}]`;
      accept(checkResource(resource, key, file, 0, where), where);
    });
  }
  return state;
}

/** The layout the sandbox writes, line by line: a type header, one resource per line, `]`, and `_sandbox` last. */
async function readLineLayout(file: string, accept: Accept): Promise<StoreState | undefined> {
  const input = createReadStream(file, 'utf8');
  const lines = createInterface({ input, crlfDelay: Infinity });
  let section: 'start' | 'resources' | 'between' | 'state' | 'deleted' | 'end' = 'start';
  let type = '';
  let lineNumber = 0;
  let nextId: number | undefined;
  const deleted: unknown[] = [];
  const parseLine = (text: string): unknown => {
    const body = text.endsWith(',') ? text.slice(0, -1) : text;
    try {
      return JSON.parse(body);
    } catch {
      const at = jsonErrorPosition(body);
      throw new DbJsonError(file, lineNumber, at.column, `not one resource per line as the sandbox writes it: ${at.reason}`);
    }
  };
  try {
    for await (const raw of lines) {
      lineNumber++;
      const line = raw.trim();
      if (line === '') continue;
      if (section === 'start') {
        if (line !== '{') throw new DbJsonError(file, lineNumber, 1, 'expected "{" to open the file');
        section = 'between';
        continue;
      }
      if (section === 'end') throw new DbJsonError(file, lineNumber, 1, 'unexpected text after the closing "}"');
      if (section === 'between') {
        const header = /^,?\s*"([^"]+)"\s*:\s*([[{])$/.exec(line);
        if (header?.[1] === STORE_STATE_KEY && header[2] === '{') section = 'state';
        else if (header !== null && header[2] === '[') {
          type = header[1] as string;
          section = 'resources';
        } else if (line === '}') section = 'end';
        else throw new DbJsonError(file, lineNumber, 1, 'expected a "Type": [ line or the closing "}"');
        continue;
      }
      if (section === 'resources') {
        if (line === ']' || line === '],') section = 'between';
        else accept(checkResource(parseLine(line.startsWith(',') ? line.slice(1) : line), type, file, lineNumber, `line ${lineNumber}`), `line ${lineNumber}`);
        continue;
      }
      if (section === 'state') {
        const counter = /^"nextId"\s*:\s*(\d+),?$/.exec(line);
        if (counter) nextId = Number(counter[1]);
        else if (/^"deleted"\s*:\s*\[$/.test(line)) section = 'deleted';
        else if (line === '}' || line === '},') section = 'between';
        else throw new DbJsonError(file, lineNumber, 1, `unexpected line in "${STORE_STATE_KEY}"`);
        continue;
      }
      if (line === ']' || line === '],') section = 'state';
      else deleted.push(parseLine(line));
    }
  } finally {
    input.destroy();
  }
  if (section !== 'end') throw new DbJsonError(file, lineNumber + 1, 1, 'the file ends before its closing "}" (truncated?)');
  return nextId === undefined && deleted.length === 0 ? undefined : checkState({ nextId, deleted }, file, 0);
}

function checkState(value: unknown, file: string, line: number): StoreState {
  const result = storeStateSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [STORE_STATE_KEY, ...(issue?.path ?? [])].map(String).join('.');
  throw new DbJsonError(file, line, 0, `${field}: ${issue?.message ?? 'invalid'}`);
}

function checkResource(resource: unknown, type: string, file: string, line: number, where: string): Resource {
  if (!resource || typeof resource !== 'object' || Array.isArray(resource) || (resource as Resource).resourceType !== type) {
    throw new DbJsonError(file, line, 0, `${where}: expected a ${type} resource (an object whose resourceType is "${type}")`);
  }
  return resource as Resource;
}

/** A db.json that cannot be loaded; `line` and `column` are 1-based, 0 when unknown. */
export class DbJsonError extends Error {
  readonly code = 'DB_JSON_INVALID';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
  /** "file:line:column" as editors and terminals link it, or less when line or column are unknown. */
  readonly location: string;
  constructor(file: string, line: number, column: number, reason: string) {
    const location = `${file}${line > 0 ? `:${line}${column > 0 ? `:${column}` : ''}` : ''}`;
    super(`${location}: ${reason}`);
    this.name = 'DbJsonError';
    this.location = location;
    this.file = file;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}
