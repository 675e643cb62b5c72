import { SignJWT, UnsecuredJWT, decodeJwt, exportSPKI, generateKeyPair } from 'jose';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError, type InvalidTokenReason } from '../../src/auth/invalidTokenError.js';
import { AUDIENCE, ISSUER, TENANT_A, authFixture } from '../support/authFixture.js';

async function refusal(promise: Promise<unknown>): Promise<InvalidTokenReason> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.reason;
    throw error;
  }
  throw new Error('the token was accepted');
}

const claims = { scope: TENANT_A, tid: TENANT_A };

describe('token verification', () => {
  it('accepts a token it issued and reports client and tenant', async () => {
    const { auth, tokenFor } = await authFixture();
    const verified = await auth.verify(await tokenFor());
    expect(verified).toMatchObject({ clientId: 'app', tenantId: TENANT_A });
    const payload = decodeJwt(await tokenFor());
    expect(payload).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: 'app', scope: TENANT_A, tid: TENANT_A });
    expect(typeof payload.jti).toBe('string');
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('refuses alg: none', async () => {
    const { auth } = await authFixture();
    const token = new UnsecuredJWT(claims).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('app').setJti('x').setIssuedAt().setExpirationTime('1h').encode();
    expect(await refusal(auth.verify(token))).toBe('bad-signature');
  });

  it('refuses HS256 signed with our public key as the secret', async () => {
    const { auth, tokenFor } = await authFixture();
    const kid = JSON.parse(Buffer.from((await tokenFor()).split('.')[0]!, 'base64url').toString()).kid as string;
    const jwk = auth.keys.jwks().keys[0]!;
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid, typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ ...claims, iss: ISSUER, aud: AUDIENCE, sub: 'app', jti: 'x', iat: 1, exp: 4e9 })).toString('base64url');
    const signature = createHmac('sha256', JSON.stringify(jwk)).update(`${header}.${payload}`).digest('base64url');
    expect(await refusal(auth.verify(`${header}.${payload}.${signature}`))).toBe('bad-signature');
  });

  it('refuses a token signed by a key that is not ours, even with our kid', async () => {
    const { auth, tokenFor, clock } = await authFixture();
    const kid = JSON.parse(Buffer.from((await tokenFor()).split('.')[0]!, 'base64url').toString()).kid as string;
    const foreign = await generateKeyPair('ES256');
    expect(await exportSPKI(foreign.publicKey)).toContain('PUBLIC KEY');
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('app')
      .setJti('x')
      .setIssuedAt(Math.floor(clock.now() / 1000))
      .setExpirationTime(Math.floor(clock.now() / 1000) + 600)
      .sign(foreign.privateKey);
    expect(await refusal(auth.verify(token))).toBe('bad-signature');
  });

  it('refuses an expired token, also after it was cached', async () => {
    const { auth, tokenFor, clock } = await authFixture({ lifetimeSeconds: 2 });
    const token = await tokenFor();
    await auth.verify(token);
    clock.advance(2_000);
    expect(await refusal(auth.verify(token))).toBe('expired');
  });

  it('refuses a token whose nbf is in the future (clock skew policy)', async () => {
    const { auth, tokenFor } = await authFixture();
    auth.policy.clockSkewSeconds = 120;
    expect(await refusal(auth.verify(await tokenFor()))).toBe('not-yet-valid');
  });

  it('refuses a tampered payload', async () => {
    const { auth, tokenFor } = await authFixture();
    const [header, , signature] = (await tokenFor()).split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, tid: '7a1c9d42-2e3f-4b5a-8c6d-1e2f3a4b5c60', iss: ISSUER, aud: AUDIENCE, sub: 'app', jti: 'x', iat: 1, exp: 4e9 })).toString('base64url');
    expect(await refusal(auth.verify(`${header}.${forged}.${signature}`))).toBe('bad-signature');
  });

  it.each([
    ['wrong-issuer', { iss: 'urn:someone-else', aud: AUDIENCE }],
    ['wrong-audience', { iss: ISSUER, aud: 'urn:another-api' }],
  ] as const)('refuses %s', async (reason, override) => {
    const { auth, clock, tokenFor } = await authFixture();
    await tokenFor();
    // Sign with the sandbox's own key so only the claim differs.
    const key = auth.keys.current;
    const now = Math.floor(clock.now() / 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setIssuer(override.iss)
      .setAudience(override.aud)
      .setSubject('app')
      .setJti('x')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(key.privateKey);
    expect(await refusal(auth.verify(token))).toBe(reason);
  });

  it('refuses garbage', async () => {
    const { auth } = await authFixture();
    expect(await refusal(auth.verify('not-a-jwt'))).toBe('malformed');
  });

  it('refuses the tokens of a deleted client, even cached ones', async () => {
    const { auth, tokenFor } = await authFixture();
    const token = await tokenFor();
    await auth.verify(token);
    auth.clients.delete('app');
    expect(await refusal(auth.verify(token))).toBe('unknown-client');
  });

  it('"expire all now" refuses every older token but not newer ones', async () => {
    const { auth, tokenFor } = await authFixture();
    const older = await tokenFor();
    auth.policy.expireAllNow();
    expect(await refusal(auth.verify(older))).toBe('revoked');
    const newer = await tokenFor();
    await expect(auth.verify(newer)).resolves.toMatchObject({ clientId: 'app' });
  });

  it('revoking a client refuses only its current tokens', async () => {
    const { auth, tokenFor, clock } = await authFixture();
    const older = await tokenFor();
    auth.policy.revokeClientTokens('app');
    expect(await refusal(auth.verify(older))).toBe('revoked');
    clock.advance(1);
    await expect(auth.verify(await tokenFor())).resolves.toBeDefined();
  });

  it('key rotation without grace refuses old tokens; with grace accepts them until it ends', async () => {
    const strict = await authFixture();
    const old1 = await strict.tokenFor();
    await strict.auth.keys.rotate(0);
    expect(await refusal(strict.auth.verify(old1))).toBe('unknown-key');
    expect(strict.auth.keys.jwks().keys).toHaveLength(1);

    const lenient = await authFixture();
    const old2 = await lenient.tokenFor();
    await lenient.auth.keys.rotate(30);
    await expect(lenient.auth.verify(old2)).resolves.toBeDefined();
    expect(lenient.auth.keys.jwks().keys).toHaveLength(2);
    lenient.clock.advance(30_000);
    expect(await refusal(lenient.auth.verify(old2))).toBe('unknown-key');
    await expect(lenient.auth.verify(await lenient.tokenFor())).resolves.toBeDefined();
  });
});
