import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/configError.js';
import { loadProfile, parseProfile } from '../../src/config/loadProfile.js';
import { profileJsonSchema } from '../../src/config/profileJsonSchema.js';
import { resolveConfig } from '../../src/config/sandboxConfig.js';
import { packageRoot } from '../../src/lib/packageRoot.js';

const TENANT = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';
const minimal = {
  name: 'x',
  tenants: [{ id: TENANT, name: 'A', hospital: 'H', fhirVersion: 'stu3', patients: 1 }],
  clients: [{ id: 'c', secret: 'secret-123', tenants: '*' }],
};

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('profiles', () => {
  it('loads the default profile: three tenants (two STU3, one DSTU2) and a demo client on all', () => {
    const { profile } = loadProfile('default');
    expect(profile.tenants.filter((tenant) => tenant.fhirVersion === 'stu3')).toHaveLength(2);
    expect(profile.tenants.filter((tenant) => tenant.fhirVersion === 'dstu2')).toHaveLength(1);
    expect(profile.clients[0]?.tenants).toBe('*');
  });

  it('fills defaults', () => {
    const profile = parseProfile(minimal, 'test');
    expect(profile.oauth).toMatchObject({ tokenLifetimeSeconds: 3600, strict: false });
    expect(profile.tenants[0]?.readOnly).toBe(false);
  });

  it.each([
    [{ ...minimal, tenants: [{ ...minimal.tenants[0], id: 'nope' }] }, 'tenants[0].id'],
    [{ ...minimal, tenants: [{ ...minimal.tenants[0], fhirVersion: 'r5' }] }, 'tenants[0].fhirVersion'],
    [{ ...minimal, clients: [{ id: 'c', secret: 'short', tenants: '*' }] }, 'clients[0].secret'],
    [{ ...minimal, clients: [{ id: 'c', secret: 'secret-123', tenants: ['7a1c9d42-2e3f-4b5a-8c6d-1e2f3a4b5c60'] }] }, 'clients[0].tenants[0]'],
    [{ ...minimal, surprise: true }, '(root)'],
    [{ ...minimal, clients: [{ id: 'c', tenants: '*' }] }, 'clients[0].secret: needs a credential: a secret, jwks or jwksUrl'],
    [{ ...minimal, clients: [{ id: 'c', jwksUrl: 'ftp://keys.example.test/jwks', tenants: '*' }] }, 'clients[0].jwksUrl'],
    [{ ...minimal, clients: [{ id: 'c', secret: 'secret-123', tenants: '*', scopes: ['system/Patient.sr'] }] }, 'clients[0].scopes[0]'],
    [{ ...minimal, oauth: { jwksFetch: { timeoutMs: 0 } } }, 'oauth.jwksFetch.timeoutMs'],
  ])('names the bad field: %#', (raw, field) => {
    const error = configError(() => parseProfile(raw, 'profiles/bad.json'));
    expect(error.message).toContain('profiles/bad.json');
    expect(error.message).toContain(field);
  });

  it('takes clients with keys or a JWKS URL instead of (or beside) a secret, and scopes they may have', () => {
    const key = { kty: 'EC', crv: 'P-384', kid: 'k1', x: 'x', y: 'y' };
    const profile = parseProfile({
      ...minimal,
      clients: [
        { id: 'by-key', jwks: { keys: [key] }, tenants: '*' },
        { id: 'by-url', jwksUrl: 'https://keys.example.test/jwks.json', secret: 'secret-123', tenants: '*', scopes: ['system/*.rs'] },
      ],
    }, 'test');
    expect(profile.clients.map((client) => client.scopes)).toEqual(['*', ['system/*.rs']]);
    expect(profile.oauth.jwksFetch).toEqual({ timeoutMs: 2000, maxBytes: 65_536, cacheSeconds: 300 });
  });

  it('names a missing profile', () => {
    expect(configError(() => loadProfile('no-such-profile')).message).toMatch(/no such profile/);
  });

  it('publishes the JSON Schema it validates with', () => {
    const published = JSON.parse(readFileSync(path.join(packageRoot, 'profiles', 'profile.schema.json'), 'utf8'));
    expect(published).toEqual(profileJsonSchema());
  });
});

describe('resolveConfig', () => {
  it('takes flags over environment over profile', () => {
    const env = { PORT: '9000', PATIENTS_SANDBOX_SEED: '5', PATIENTS_SANDBOX_HEADLESS: 'true' };
    const config = resolveConfig({ port: '9100' }, env);
    expect(config.port).toBe(9100);
    expect(config.seed).toBe(5);
    expect(config.headless).toBe(true);
    expect(resolveConfig({}, env).port).toBe(9000);
    expect(resolveConfig({}, {}).seed).toBe(loadProfile('default').profile.seed);
    expect(Object.isFrozen(config.profile)).toBe(true);
  });

  it.each([
    [{ port: 'eighty' }, {}, '--port'],
    [{}, { PORT: '70000' }, 'PORT'],
    [{ seed: '-1' }, {}, '--seed'],
    [{}, { PATIENTS_SANDBOX_HEADLESS: 'maybe' }, 'PATIENTS_SANDBOX_HEADLESS'],
    [{ publicUrl: 'not a url' }, {}, '--public-url'],
  ])('names the bad source: %j %j', (flags, env, source) => {
    expect(configError(() => resolveConfig(flags, env)).source).toBe(source);
  });
});

describe('profile faults', () => {
  it('refuses a bad fault rule at start, naming the profile field', async () => {
    const { createSandbox } = await import('../../src/sandbox.js');
    const { testConfig } = await import('../support/testSandbox.js');
    const config = testConfig({}, { faults: { rules: [{ name: 'x', effect: { latency: { distribution: 'uniform', min: 10, max: 1 } } }] } });
    await expect(createSandbox(config)).rejects.toThrow(/faults\.rules\[0\]: effect\.latency/);
    const preset = testConfig({}, { faults: { presets: ['no-such-preset'] } });
    await expect(createSandbox(preset)).rejects.toThrow(/faults\.presets\[0\]/);
  });
});
