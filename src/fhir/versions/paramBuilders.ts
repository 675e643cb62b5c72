import type { Resource } from '../types.js';
import type {
  DateParamDefinition,
  DateValue,
  ReferenceParamDefinition,
  StringParamDefinition,
  TokenParamDefinition,
  TokenValue,
} from './searchParamDefinition.js';

/**
 * Builders that turn element paths ("name.family", "effectiveDateTime") into search parameter
 * definitions, so each version file reads like the spec's search parameter table.
 */

type Path = readonly string[];

function compile(paths: readonly string[]): Path[] {
  return paths.map((path) => path.split('.'));
}

const NONE: readonly unknown[] = Object.freeze([]);

/** Values at a dotted path, arrays flattened at every step (FHIRPath's default behaviour). */
function valuesAt(resource: unknown, path: Path): readonly unknown[] {
  if (path.length === 1) {
    // Most paths are one element: read it without building intermediate arrays.
    const value = (resource as Record<string, unknown>)[path[0] as string];
    return Array.isArray(value) ? value : value === undefined || value === null ? NONE : [value];
  }
  let current: unknown[] = [resource];
  for (const step of path) {
    const next: unknown[] = [];
    for (const item of current) {
      if (item === null || typeof item !== 'object') continue;
      const value = (item as Record<string, unknown>)[step];
      if (Array.isArray(value)) next.push(...value);
      else if (value !== undefined && value !== null) next.push(value);
    }
    current = next;
  }
  return current;
}

function collect(resource: Resource, paths: readonly Path[]): readonly unknown[] {
  if (paths.length === 1) return valuesAt(resource, paths[0] as Path);
  const all: unknown[] = [];
  for (const path of paths) all.push(...valuesAt(resource, path));
  return all;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Strings searchable in a value: a plain string, or the text parts of HumanName / Address. */
function stringsOf(value: unknown, into: string[]): void {
  if (typeof value === 'string') {
    into.push(value);
    return;
  }
  if (!isRecord(value)) return;
  for (const key of ['text', 'family', 'given', 'prefix', 'suffix', 'line', 'city', 'district', 'state', 'postalCode', 'country']) {
    const part = value[key];
    if (typeof part === 'string') into.push(part);
    else if (Array.isArray(part)) for (const item of part) if (typeof item === 'string') into.push(item);
  }
}

function tokensOf(value: unknown, into: TokenValue[]): void {
  if (typeof value === 'string') {
    into.push({ code: value });
    return;
  }
  if (typeof value === 'boolean') {
    into.push({ code: String(value) });
    return;
  }
  if (!isRecord(value)) return;
  if (Array.isArray(value['coding'])) {
    for (const coding of value['coding']) tokensOf(coding, into);
    return;
  }
  const code = typeof value['code'] === 'string' ? value['code'] : typeof value['value'] === 'string' ? value['value'] : undefined;
  if (code === undefined) return;
  const token: TokenValue = { code };
  if (typeof value['system'] === 'string') token.system = value['system'];
  into.push(token);
}

function datesOf(value: unknown, into: DateValue[]): void {
  if (typeof value === 'string') {
    into.push({ start: value, end: value });
    return;
  }
  if (!isRecord(value)) return;
  const period: DateValue = {};
  if (typeof value['start'] === 'string') period.start = value['start'];
  if (typeof value['end'] === 'string') period.end = value['end'];
  if (period.start !== undefined || period.end !== undefined) into.push(period);
}

export function stringParam(name: string, documentation: string, paths: readonly string[]): StringParamDefinition {
  const compiled = compile(paths);
  return {
    name,
    type: 'string',
    documentation,
    source: paths.join('|'),
    extract(resource) {
      const out: string[] = [];
      for (const value of collect(resource, compiled)) stringsOf(value, out);
      return out;
    },
  };
}

export function tokenParam(name: string, documentation: string, paths: readonly string[]): TokenParamDefinition {
  const compiled = compile(paths);
  return {
    name,
    type: 'token',
    documentation,
    source: paths.join('|'),
    extract(resource) {
      const out: TokenValue[] = [];
      for (const value of collect(resource, compiled)) tokensOf(value, out);
      return out;
    },
  };
}

export function dateParam(name: string, documentation: string, paths: readonly string[]): DateParamDefinition {
  const compiled = compile(paths);
  return {
    name,
    type: 'date',
    documentation,
    source: paths.join('|'),
    extract(resource) {
      const out: DateValue[] = [];
      for (const value of collect(resource, compiled)) datesOf(value, out);
      return out;
    },
  };
}

export function referenceParam(
  name: string,
  documentation: string,
  paths: readonly string[],
  targets: readonly string[],
): ReferenceParamDefinition {
  const compiled = compile(paths);
  return {
    name,
    type: 'reference',
    documentation,
    source: paths.join('|'),
    targets,
    extract(resource) {
      const out: string[] = [];
      for (const value of collect(resource, compiled)) {
        if (isRecord(value) && typeof value['reference'] === 'string') out.push(value['reference']);
      }
      return out;
    },
  };
}
