import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../src/auth/invalidTokenError.js';
import { authFixture } from '../support/authFixture.js';

describe('the verified-token cache', () => {
  it('serves only the very token that verified: a changed payload under a cached signature is refused', async () => {
    const { auth, tokenFor } = await authFixture();
    const token = await tokenFor();
    await auth.verify(token);
    expect(auth.verifier.verifyCached(token)?.clientId).toBe('app');

    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = decodeJwt(token);
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    const forged = `${header}.${forgedPayload}.${signature}`;
    expect(forgedPayload).not.toBe(payload);
    expect(auth.verifier.verifyCached(forged)).toBeUndefined();
    await expect(auth.verify(forged)).rejects.toSatisfy((error) => error instanceof InvalidTokenError && error.reason === 'bad-signature');
    // The genuine token is still served from the cache after the forgery was refused.
    expect(auth.verifier.verifyCached(token)?.clientId).toBe('app');
  });

  it('forgets the token it served last when the cache is cleared, and tells two alternating tokens apart', async () => {
    const { auth, tokenFor } = await authFixture();
    const first = await tokenFor();
    const second = await tokenFor();
    await auth.verify(first);
    await auth.verify(second);
    for (const token of [first, second, second, first, first]) expect(auth.verifier.verifyCached(token)?.jti).toBe(decodeJwt(token).jti);
    // A forgery right after the genuine token was served is compared with it in full, and refused.
    const forged = `${first.slice(0, -2)}${first.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(auth.verifier.verifyCached(forged)).toBeUndefined();
    auth.verifier.clearCache();
    expect(auth.verifier.verifyCached(first)).toBeUndefined();
  });
});
