/**
 * SMART system scopes (`system/<Type or *>.<permissions>`), in both spellings the SMART App Launch
 * guide defines: v1 (`read`, `write`, `*`) and v2 (the letters c r u d s, in that order). A scope is
 * kept as a resource type and a set of permission bits, so v1 and v2 compare and intersect alike.
 */

export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

/** Bits in the v2 order: create, read, update, delete, search. */
export const PERMISSION_BITS: Readonly<Record<Permission, number>> = { c: 1, r: 2, u: 4, d: 8, s: 16 };
const ALL = 31;
/** What each v1 word means in v2 letters (SMART App Launch 2.0, "scopes for requesting FHIR resources"). */
const V1_WORDS: Readonly<Record<string, number>> = { read: PERMISSION_BITS.r | PERMISSION_BITS.s, write: PERMISSION_BITS.c | PERMISSION_BITS.u | PERMISSION_BITS.d, '*': ALL };
const V2_ORDER: readonly Permission[] = ['c', 'r', 'u', 'd', 's'];

export interface SmartScope {
  /** A resource type name, or `*` for every type. */
  resourceType: string;
  /** Permission bits (PERMISSION_BITS), never 0. */
  permissions: number;
  /** How it was written, so a granted scope is echoed in the client's own spelling where it can be. */
  form: 'v1' | 'v2';
}

export type ParsedScope = { scope: SmartScope } | { problem: string };

const SCOPE_SHAPE = /^system\/(\*|[A-Z][A-Za-z]*)\.([^.?]+)$/;
export const SCOPE_HELP = 'use system/<Type or *>.<read|write|*> (SMART v1) or system/<Type or *>.<letters of "cruds" in that order> (SMART v2)';

/** Whether a scope token is meant as a SMART resource scope (as opposed to a tenant id or another word). */
export function isResourceScope(token: string): boolean {
  return /^(system|patient|user)\//.test(token);
}

/** Parses one `system/…` scope; a problem names what is wrong with it. */
export function parseSmartScope(text: string): ParsedScope {
  if (/^(patient|user)\//.test(text)) {
    return { problem: `scope "${text}" needs a patient or user context, which client_credentials (backend services) has not: ask for system/ scopes` };
  }
  if (text.includes('?')) return { problem: `scope "${text}" is a granular scope (?…), which this server does not support: ${SCOPE_HELP}` };
  const match = SCOPE_SHAPE.exec(text);
  if (match === null) return { problem: `scope "${text}" is not a SMART system scope: ${SCOPE_HELP}` };
  const [, resourceType, spelled] = match as unknown as [string, string, string];
  const v1 = V1_WORDS[spelled];
  if (v1 !== undefined) return { scope: { resourceType, permissions: v1, form: 'v1' } };
  const permissions = v2Permissions(spelled);
  if (permissions === undefined) return { problem: `scope "${text}" has permissions "${spelled}": ${SCOPE_HELP}` };
  return { scope: { resourceType, permissions, form: 'v2' } };
}

/** `rs` → r|s; undefined unless the letters are distinct, from c r u d s, and in that order. */
function v2Permissions(letters: string): number | undefined {
  let bits = 0;
  let next = 0;
  for (const letter of letters) {
    const position = V2_ORDER.indexOf(letter as Permission, next);
    if (position < 0) return undefined;
    bits |= PERMISSION_BITS[V2_ORDER[position] as Permission];
    next = position + 1;
  }
  return bits === 0 ? undefined : bits;
}

/** The scope as text: in v1 words when it was asked for in v1 and one word says exactly that, else in v2 letters. */
export function formatSmartScope(scope: SmartScope): string {
  const word = scope.form === 'v1' ? Object.keys(V1_WORDS).find((candidate) => V1_WORDS[candidate] === scope.permissions) : undefined;
  const letters = V2_ORDER.filter((letter) => (scope.permissions & PERMISSION_BITS[letter]) !== 0).join('');
  return `system/${scope.resourceType}.${word ?? letters}`;
}
