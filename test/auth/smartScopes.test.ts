import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../src/auth/oauthError.js';
import { grantedScopes, type AllowedScopes } from '../../src/auth/scopeGrant.js';
import { ScopePermissions } from '../../src/auth/scopePermissions.js';
import { formatSmartScope, parseSmartScope, type SmartScope } from '../../src/auth/smartScope.js';

const TENANT = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';
const SERVED = ['Patient', 'Observation', 'Condition'];

function scope(text: string): SmartScope {
  const parsed = parseSmartScope(text);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.scope;
}

function grant(requested: string, allowed: AllowedScopes | string[] = '*'): string[] {
  const allowedScopes = allowed === '*' ? '*' : (allowed as string[]).map(scope);
  return grantedScopes({ scope: `${TENANT} ${requested}`, clientId: 'app', allowed: allowedScopes, servedTypes: SERVED });
}

function refusal(run: () => unknown): { error: string; description: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return { error: error.code, description: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('SMART scope syntax', () => {
  it.each([
    ['system/Observation.read', 'system/Observation.read'],
    ['system/*.write', 'system/*.write'],
    ['system/*.*', 'system/*.*'],
    ['system/Observation.rs', 'system/Observation.rs'],
    ['system/Patient.cruds', 'system/Patient.cruds'],
    ['system/Patient.cud', 'system/Patient.cud'],
    ['system/Patient.s', 'system/Patient.s'],
  ])('reads %s and writes it back the same', (text, written) => {
    expect(formatSmartScope(scope(text))).toBe(written);
  });

  it.each([
    ['system/Observation.sr', 'permissions "sr"'],
    ['system/Observation.rr', 'permissions "rr"'],
    ['system/Observation.x', 'permissions "x"'],
    ['system/observation.read', 'not a SMART system scope'],
    ['system/Observation', 'not a SMART system scope'],
    ['system/Observation.rs?category=vital-signs', 'granular scope'],
    ['patient/Observation.read', 'patient or user context'],
    ['user/*.cruds', 'patient or user context'],
  ])('refuses %s, naming the problem', (text, problem) => {
    const parsed = parseSmartScope(text);
    expect('problem' in parsed && parsed.problem).toContain(problem);
  });
});

describe('granting scopes', () => {
  it('grants what was asked when the client may have any scope, and nothing when none was asked', () => {
    expect(grant('system/Observation.rs system/*.read')).toEqual(['system/Observation.rs', 'system/*.read']);
    expect(grant('')).toEqual([]);
    expect(grant('openid fhirUser')).toEqual([]);
  });

  it('cuts each requested scope down to what the client is allowed, in the spelling it was asked in', () => {
    expect(grant('system/*.read', ['system/Observation.rs', 'system/Patient.r'])).toEqual(['system/Observation.read', 'system/Patient.r']);
    expect(grant('system/Observation.cruds', ['system/*.read'])).toEqual(['system/Observation.rs']);
    expect(grant('system/Observation.read', ['system/*.*'])).toEqual(['system/Observation.read']);
    expect(grant('system/Patient.read system/Observation.read', ['system/Patient.read'])).toEqual(['system/Patient.read']);
  });

  it('gives a limited client that asks for no SMART scope all it is allowed, never unlimited access', () => {
    expect(grant('', ['system/Patient.read'])).toEqual(['system/Patient.read']);
  });

  it.each([
    ['only scopes the client may not have', 'system/Condition.read', ['system/Patient.read'], 'may not have any of the scopes'],
    ['a type the tenant does not serve', 'system/Spaceship.read', '*', 'names Spaceship'],
    ['a malformed scope', 'system/Observation.wr', '*', 'permissions "wr"'],
    ['a patient scope', 'patient/*.read', '*', 'patient or user context'],
  ] as const)('refuses %s with invalid_scope', (_label, requested, allowed, description) => {
    const refused = refusal(() => grant(requested, allowed === '*' ? '*' : [...allowed]));
    expect(refused.error).toBe('invalid_scope');
    expect(refused.description).toContain(description);
  });
});

describe('what a token\'s scopes permit', () => {
  const permits = (claim: string) => {
    const permissions = ScopePermissions.fromScope(claim);
    if (permissions === undefined) throw new Error('no SMART scope');
    return permissions.permits;
  };

  it('has no permission set (full access) when the claim holds only the tenant', () => {
    expect(ScopePermissions.fromScope(TENANT)).toBeUndefined();
  });

  it('v1 read covers read and search, write covers create, update and delete', () => {
    const check = permits(`${TENANT} system/Observation.read system/Patient.write`);
    expect(['read', 'search', 'create', 'update', 'delete'].map((i) => check(i as 'read', 'Observation'))).toEqual([true, true, false, false, false]);
    expect(['read', 'search', 'create', 'update', 'delete'].map((i) => check(i as 'read', 'Patient'))).toEqual([false, false, true, true, true]);
    expect(check('read', 'Condition')).toBe(false);
  });

  it('v2 letters allow exactly their interactions, and wildcards add to per-type scopes', () => {
    const check = permits(`${TENANT} system/Observation.s system/Patient.r system/*.c`);
    expect(check('search', 'Observation')).toBe(true);
    expect(check('read', 'Observation')).toBe(false);
    expect(check('read', 'Patient')).toBe(true);
    expect(check('search', 'Patient')).toBe(false);
    expect(check('create', 'Condition')).toBe(true);
    expect(check('update', 'Condition')).toBe(false);
  });
});
