import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/check/checkReport.js';
import { CheckUsageError } from '../../src/check/checkErrors.js';
import { signClientAssertion } from '../../src/check/clientAssertion.js';
import { assertionSigner, parseClientSigningKey, type ClientSigningKey } from '../../src/check/clientSigningKey.js';
import { runCheck } from '../../src/check/runCheck.js';
import { systemClock } from '../../src/lib/clock.js';
import type { RequestFinishedEvent } from '../../src/events/types.js';
import { startCheckTarget, type CheckTarget } from './support/checkTarget.js';
import { reportValidator } from './support/reportSchema.js';

const TOKEN_CHECKS = ['token.client-assertion', 'token.tenant-in-scope', 'token.lifetime', 'token.assertion-replay', 'token.wrong-audience', 'token.tampered-assertion', 'token.tampered-refused'];

interface BackendClient {
  id: string;
  kid: string;
  privateKey: KeyObject;
}

function keyPair(kind: 'rsa' | 'ec'): { privateKey: KeyObject; publicKey: KeyObject } {
  return kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-384' });
}

describe('check --private-key: SMART Backend Services against the sandbox', () => {
  let target: CheckTarget;
  let rsa: BackendClient;
  let ec: BackendClient;
  const reports = new Map<string, CheckReport>();

  /** Options for a check as a backend client with its key; the sandbox's clock and the checker's are both real time. */
  const keyOptions = (version: 'stu3' | 'r4', key: ClientSigningKey, clientId: string, scope?: string) => {
    const { clientSecret: _secret, ...rest } = target.options(version, { clientId, clientKey: key, clock: systemClock });
    return scope === undefined ? rest : { ...rest, scope };
  };

  beforeAll(async () => {
    // Assertions carry real timestamps (iat, exp), so this partner's clock must be real time too.
    target = await startCheckTarget(systemClock);
    const register = async (id: string, kind: 'rsa' | 'ec', alg: string): Promise<BackendClient> => {
      const { privateKey, publicKey } = keyPair(kind);
      const kid = `${id}-key-1`;
      await target.admin('POST', 'clients', { id, jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' }] }, tenants: '*' });
      return { id, kid, privateKey };
    };
    rsa = await register('backend-rs', 'rsa', 'RS384');
    ec = await register('backend-es', 'ec', 'ES384');
    // A PEM file as --private-key reads it, and a private JWK holding its own kid.
    const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    reports.set('rsa-r4', await runCheck(keyOptions('r4', parseClientSigningKey(pem, rsa.kid, 'rsa.pem'), rsa.id)));
    const jwk = JSON.stringify({ ...ec.privateKey.export({ format: 'jwk' }), kid: ec.kid });
    reports.set('ec-stu3', await runCheck(keyOptions('stu3', parseClientSigningKey(jwk, undefined, 'ec.jwk'), ec.id, 'system/*.read')));
  });
  afterAll(() => target.close());

  it.each([
    ['rsa-r4', 'RS384', 'r4'],
    ['ec-stu3', 'ES384', 'stu3'],
  ])('%s: every check passes with a %s key, the token checks are the assertion ones', (name, alg, version) => {
    const report = reports.get(name) as CheckReport;
    const notPassed = report.checks.filter((check) => check.outcome !== 'passed').map((check) => `${check.id}: ${check.outcome}: ${check.detail}`);
    expect(notPassed).toEqual([]);
    expect(report.outcome).toBe('passed');
    expect(report.target).toMatchObject({ fhirVersion: version, clientAuthentication: 'private_key_jwt', kid: name === 'rsa-r4' ? rsa.kid : ec.kid });
    expect(report.checks.filter((check) => check.stage === 'token').map((check) => check.id)).toEqual(TOKEN_CHECKS);
    const granted = report.checks.find((check) => check.id === 'token.client-assertion');
    expect(granted?.detail).toMatch(/^HTTP 200: a Bearer JWT, expires_in \d+ s$/);
    expect(granted?.request?.body).toMatch(/client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=<redacted>$/);
    const detail = (id: string) => report.checks.find((check) => check.id === id)?.detail;
    expect(detail('token.assertion-replay')).toMatch(/^HTTP 40[01], error "invalid_client": client_assertion: jti "[^"]+" was already used/);
    expect(detail('token.wrong-audience')).toMatch(/^HTTP 40[01], error "invalid_client": .*aud/);
    expect(detail('token.tampered-assertion')).toMatch(/^HTTP 40[01], error "invalid_client"/);
    expect(detail('discovery.smart-configuration')).toBe(`token_endpoint ${target.server.origin}/oauth2/token, as metadata says; private_key_jwt with ${alg} advertised`);
  });

  it('asks for the tenant and the --scope scopes, and the token carries both', () => {
    const report = reports.get('ec-stu3') as CheckReport;
    expect(report.target.scope).toBe(`${report.target.tenant} system/*.read`);
    expect(report.checks.find((check) => check.id === 'token.client-assertion')?.request?.body).toContain(`scope=${report.target.tenant} system/*.read&`);
    expect(report.checks.find((check) => check.id === 'token.tenant-in-scope')?.detail).toBe(`the JWT's scope is "${report.target.tenant} system/*.read"`);
  });

  it('the JSON report has the documented shape, and holds no assertion, token or key', () => {
    for (const report of reports.values()) {
      const validate = reportValidator();
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      const text = JSON.stringify(report);
      // A JWT is three base64url parts; none may reach a report that is pasted into tickets.
      expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
      expect(text).not.toContain('PRIVATE KEY');
    }
  });

  it('signs each assertion as SMART asks: iss = sub = client, aud = token URL, exp within 5 minutes, a fresh jti, the kid and alg in the header', async () => {
    const signer = assertionSigner(parseClientSigningKey(ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), ec.kid, 'ec.pem'));
    const now = Date.UTC(2026, 5, 1, 12);
    const claims = { clientId: ec.id, audience: 'http://partner.test/oauth2/token', now };
    const [first, second] = [await signClientAssertion(signer, claims), await signClientAssertion(signer, claims)];
    expect(decodeProtectedHeader(first)).toEqual({ alg: 'ES384', kid: ec.kid, typ: 'JWT' });
    const payload = decodeJwt(first);
    expect(payload).toMatchObject({ iss: ec.id, sub: ec.id, aud: 'http://partner.test/oauth2/token', iat: now / 1000 });
    expect((payload.exp as number) - now / 1000).toBeGreaterThan(0);
    expect((payload.exp as number) - now / 1000).toBeLessThanOrEqual(300);
    expect(payload.jti).not.toBe(decodeJwt(second).jti);
    expect(decodeProtectedHeader(await signClientAssertion(assertionSigner({ privateKey: rsa.privateKey, kid: 'r' }), claims)).alg).toBe('RS384');
  });

  it('a kid the partner does not know fails token.client-assertion, naming it, and skips what needs a token', async () => {
    const seen: RequestFinishedEvent[] = [];
    const unsubscribe = target.sandbox.events.subscribe((event) => {
      if (event.type === 'request') seen.push(event);
    });
    const wrongKid = { privateKey: rsa.privateKey, kid: 'not-registered' };
    const report = await runCheck(keyOptions('r4', wrongKid, rsa.id));
    unsubscribe();
    expect(report.outcome).toBe('failed');
    const granted = report.checks.find((check) => check.id === 'token.client-assertion');
    expect(granted?.outcome).toBe('failed');
    expect(granted?.detail).toBe(`HTTP 401 invalid_client: client_assertion: no key with kid "not-registered" is registered for client ${rsa.id}`);
    expect(report.checks.find((check) => check.id === 'token.assertion-replay')).toMatchObject({ outcome: 'skipped', detail: 'no token: token.client-assertion failed' });
    expect(report.checks.find((check) => check.id === 'calls.patient-search')?.outcome).toBe('skipped');
    expect(seen.filter((event) => event.path === '/oauth2/token').map((event) => event.status)).toEqual([401]);
  });
});

describe('--private-key files', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const usage = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof CheckUsageError) return error.message;
      throw error;
    }
    return 'no error';
  };

  it('reads PEM with --kid, a JWK with its own kid, and a JWK Set by kid', () => {
    const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(parseClientSigningKey(pem, 'k1', 'a.pem').kid).toBe('k1');
    const jwk = { ...rsa.privateKey.export({ format: 'jwk' }), kid: 'own' };
    expect(parseClientSigningKey(JSON.stringify(jwk), undefined, 'a.jwk').kid).toBe('own');
    const set = { keys: [jwk, { ...jwk, kid: 'other' }] };
    expect(parseClientSigningKey(JSON.stringify(set), 'other', 'a.jwks').kid).toBe('other');
  });

  it.each([
    ['a PEM key without --kid', () => parseClientSigningKey(rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), undefined, 'a.pem'), '--kid: is required with a PEM key'],
    ['a public JWK', () => parseClientSigningKey(JSON.stringify({ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'k' }), undefined, 'pub.jwk'), '--private-key: the JWK in pub.jwk holds no private key'],
    ['neither PEM nor JSON', () => parseClientSigningKey('hello', 'k', 'x.txt'), '--private-key: x.txt is neither a PEM private key nor a JWK (JSON)'],
    ['a JWK Set without that kid', () => parseClientSigningKey(JSON.stringify({ keys: [{ ...rsa.privateKey.export({ format: 'jwk' }), kid: 'a' }] }), 'b', 's.jwks'), '--kid: s.jwks holds no key with kid "b"'],
  ])('refuses %s as a usage error', (_what, parse, message) => {
    expect(usage(parse)).toContain(message);
  });

  it('refuses an EC key on another curve than P-384: SMART signs ES384', () => {
    expect(usage(() => assertionSigner({ privateKey: p256.privateKey, kid: 'k' }))).toContain('is an EC key on prime256v1; SMART Backend Services signs with RS384 (an RSA key) or ES384 (an EC key on P-384)');
  });
});
