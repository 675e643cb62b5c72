import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../src/auth/invalidTokenError.js';
import { authFixture } from '../support/authFixture.js';

async function refusalReason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('clock skew: the token service\'s clock off the gateway\'s', () => {
  it('ahead (positive): every time claim is future-dated, and the gateway refuses the token until its nbf', async () => {
    const { auth, tokenFor, clock } = await authFixture({ lifetimeSeconds: 300 });
    auth.policy.clockSkewSeconds = 120;
    const token = await tokenFor();
    const now = clock.now() / 1000;
    expect(decodeJwt(token)).toMatchObject({ iat: now + 120, nbf: now + 120, exp: now + 120 + 300 });
    expect(await refusalReason(auth.verify(token))).toBe('not-yet-valid');
    clock.advance(120_000);
    await expect(auth.verify(token)).resolves.toBeDefined();
  });

  it('behind (negative): iat and exp are back-dated, so the token dies sooner than expires_in says', async () => {
    const { auth, clock } = await authFixture({ lifetimeSeconds: 300 });
    auth.policy.clockSkewSeconds = -120;
    const issued = await auth.requestToken({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'app-secret-123', scope: '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50' }, undefined);
    expect(issued.body.expires_in).toBe(300);
    const now = clock.now() / 1000;
    const claims = decodeJwt(issued.body.access_token);
    expect(claims).toMatchObject({ iat: now - 120, exp: now - 120 + 300 });
    expect(claims.nbf).toBeUndefined();
    await expect(auth.verify(issued.body.access_token)).resolves.toBeDefined();
    clock.advance(180_000);
    expect(await refusalReason(auth.verify(issued.body.access_token))).toBe('expired');
  });

  it('behind by more than the lifetime: the token is expired on arrival', async () => {
    const { auth, tokenFor } = await authFixture({ lifetimeSeconds: 300 });
    auth.policy.clockSkewSeconds = -600;
    expect(await refusalReason(auth.verify(await tokenFor()))).toBe('expired');
  });
});
