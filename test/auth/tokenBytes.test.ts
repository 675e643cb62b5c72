import { createPublicKey } from 'node:crypto';
import { compactVerify, createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthService } from '../../src/auth/authService.js';
import { EventBus } from '../../src/events/eventBus.js';
import { ManualClock } from '../../src/lib/clock.js';
import { STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0, 250);
const TENANT = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';

function segmentText(segment: string): string {
  return Buffer.from(segment, 'base64url').toString('utf8');
}

/**
 * The token's bytes as they were before the token path was made cheaper: the header and claims text
 * exactly as JSON.stringify wrote them (key order, escaping, numbers), base64url segments, and a
 * P-256 signature over them that jose accepts. The jti is random, so it is read back from the token.
 */
async function issueWith(options: { issuer: string; audience: string; clientId: string; skew?: number; scope?: string }) {
  const clock = new ManualClock(NOW);
  const auth = await AuthService.create({
    clock,
    events: new EventBus(),
    issuer: options.issuer,
    audience: options.audience,
    tokenLifetimeSeconds: 900,
    clockSkewSeconds: options.skew ?? 0,
    strict: false,
    tenantExists: (id) => id === TENANT,
  });
  auth.clients.create({ id: options.clientId, secret: 'the-secret', tenants: '*' });
  const scope = options.scope ?? TENANT;
  const issued = await auth.requestToken({ grant_type: 'client_credentials', client_id: options.clientId, client_secret: 'the-secret', scope }, undefined);
  return { auth, issued, token: issued.body.access_token };
}

describe('the bytes of an issued token', () => {
  it('header and claims are the JSON text the issuer always wrote, in the same order, and the signature verifies', async () => {
    const { auth, issued, token } = await issueWith({ issuer: 'urn:test:partner', audience: 'urn:test:gateway', clientId: 'app', scope: `${TENANT.toUpperCase()} system/Patient.read` });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const kid = auth.keys.jwks().keys[0]?.kid as string;
    expect(segmentText(header)).toBe(`{"alg":"ES256","kid":"${kid}","typ":"JWT"}`);
    const claims = JSON.parse(segmentText(payload)) as { seq: number; jti: string };
    const iat = Math.floor(NOW / 1000);
    const scope = `${TENANT} system/Patient.read`;
    const expected = { scope, tid: TENANT, reg: 1, seq: claims.seq, iss: 'urn:test:partner', sub: 'app', aud: 'urn:test:gateway', iat, exp: iat + 900, jti: claims.jti };
    expect(segmentText(payload)).toBe(JSON.stringify(expected));
    expect(claims.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(claims.seq).toBe(NOW * 1000);
    expect(issued.jti).toBe(claims.jti);
    // Base64url without padding, and a 64-byte r‖s signature.
    for (const segment of [header, payload, signature]) expect(segment).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(signature, 'base64url')).toHaveLength(64);
    const jwks = createLocalJWKSet(auth.keys.jwks());
    const { payload: verified, protectedHeader } = await jwtVerify(token, jwks, { algorithms: ['ES256'], currentDate: new Date(NOW) });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid, typ: 'JWT' });
    expect(verified).toEqual(expected);
    expect(issued.body).toEqual({ access_token: token, token_type: 'Bearer', expires_in: 900, scope });
    await expect(auth.verify(token)).resolves.toMatchObject({ clientId: 'app', tenantId: TENANT });
  });

  it('escapes client ids, issuer and audience as JSON.stringify does, and adds nbf under a positive skew', async () => {
    const clientId = 'app "quoted" \\ é \u2028 \u0001 😀';
    const issuer = 'https://partner.example/ä"';
    const audience = 'urn:gateway:\t';
    const { auth, token } = await issueWith({ issuer, audience, clientId, skew: 30 });
    const [, payload] = token.split('.') as [string, string, string];
    const claims = JSON.parse(segmentText(payload)) as { seq: number; jti: string };
    const iat = Math.floor(NOW / 1000) + 30;
    const expected = { scope: TENANT, tid: TENANT, reg: 1, seq: claims.seq, iss: issuer, sub: clientId, aud: audience, iat, exp: iat + 900, jti: claims.jti, nbf: iat };
    expect(segmentText(payload)).toBe(JSON.stringify(expected));
    const jwk = auth.keys.jwks().keys[0] as Parameters<typeof createPublicKey>[0] & object;
    await expect(compactVerify(token, createPublicKey({ key: jwk, format: 'jwk' } as never))).resolves.toBeDefined();
  });

  it('over HTTP: the response is the token JSON with no-store, and the token verifies at the gateway', async () => {
    const t = await startTestSandbox();
    const response = await t.http.post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: 'demo-client', client_secret: 'demo-secret-change-me', scope: STU3_TENANT });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.body as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(response.text).toBe(JSON.stringify({ access_token: body.access_token, token_type: 'Bearer', expires_in: body.expires_in, scope: STU3_TENANT }));
    const claims = JSON.parse(segmentText(body.access_token.split('.')[1] as string)) as Record<string, unknown>;
    expect(Object.keys(claims)).toEqual(['scope', 'tid', 'reg', 'seq', 'iss', 'sub', 'aud', 'iat', 'exp', 'jti']);
    const read = await t.http.get('/fhir/stu3/Patient?_count=1').set('Authorization', `Bearer ${body.access_token}`);
    expect(read.status).toBe(200);
  });
});
