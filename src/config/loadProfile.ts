import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type * as z from 'zod';
import { packageRoot } from '../lib/packageRoot.js';
import { JsonSyntaxError, parseJsonText } from '../lib/parseJsonText.js';
import { ConfigError } from './configError.js';
import { profileSchema, type Profile } from './profileSchema.js';

export interface LoadedProfile {
  profile: Profile;
  /** Absolute path of the file it came from; fixture paths are resolved against its folder. */
  file: string;
}

export const builtInProfilesDir = path.join(packageRoot, 'profiles');

/** A profile by built-in name ("default") or by path to a JSON file. */
export function loadProfile(nameOrPath: string): LoadedProfile {
  const file = resolveProfileFile(nameOrPath);
  return { profile: parseProfile(readProfileJson(file), file), file };
}

export function parseProfile(raw: unknown, source: string): Profile {
  const result = profileSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(source, describeIssues(result.error.issues));
  return result.data;
}

function readProfileJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return parseJsonText(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new ConfigError(file, `is not valid JSON: ${error.message}`);
    throw error;
  }
}

function resolveProfileFile(nameOrPath: string): string {
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.includes('\\') || nameOrPath.endsWith('.json');
  const file = looksLikePath ? path.resolve(nameOrPath) : path.join(builtInProfilesDir, `${nameOrPath}.json`);
  if (!existsSync(file)) {
    const hint = looksLikePath ? '' : ` (built-in profiles are the *.json files in ${builtInProfilesDir})`;
    throw new ConfigError(looksLikePath ? file : `--profile ${nameOrPath}`, `no such profile${hint}`);
  }
  return file;
}

/** "tenants[0].id: must be a GUID …; clients[1].secret: …" */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
    .join('; ');
}

function formatPath(pathParts: readonly PropertyKey[]): string {
  if (pathParts.length === 0) return '(root)';
  return pathParts
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
