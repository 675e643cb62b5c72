import { SignJWT, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../src/auth/invalidTokenError.js';
import { TENANT_A, TENANT_B, authFixture } from '../support/authFixture.js';

async function refusalReason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('a token is bound to the registration that obtained it', () => {
  it('a deleted client registered again under the same id does not revive the old tokens, cached or not', async () => {
    const { auth, tokenFor } = await authFixture();
    const cached = await tokenFor();
    await auth.verify(cached);
    const uncached = await tokenFor();
    auth.clients.delete('app');
    auth.clients.create({ id: 'app', secret: 'app-secret-123', tenants: [TENANT_A, TENANT_B] });

    expect(() => auth.verifier.verifyCached(cached)).toThrow(InvalidTokenError);
    expect(await refusalReason(auth.verify(cached))).toBe('unknown-client');
    expect(await refusalReason(auth.verify(uncached))).toBe('unknown-client');
    await expect(auth.verify(await tokenFor(TENANT_B))).resolves.toMatchObject({ clientId: 'app', tenantId: TENANT_B });
  });

  it('each use re-checks that the client may use the token\'s tenant, even for a correctly signed token', async () => {
    const { auth, tokenFor, clock } = await authFixture();
    const issued = decodeJwt(await tokenFor());
    const key = auth.keys.current;
    const now = Math.floor(clock.now() / 1000);
    // Everything right (our key, this registration, a fresh sequence) but a tenant the client is not registered for.
    const forged = await new SignJWT({ ...issued, scope: TENANT_B, tid: TENANT_B, jti: 'other' })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(key.privateKey);
    expect(await refusalReason(auth.verify(forged))).toBe('tenant-not-allowed');
  });
});

type Fixture = Awaited<ReturnType<typeof authFixture>>;

/** Records more tokens than the ledger keeps, all still live, so the oldest entries are evicted. */
function floodLedger({ auth, clock }: Fixture): void {
  for (let index = 0; index < 10_050; index++) {
    const entry = { jti: `filler-${index}`, clientId: 'someone', tenantId: TENANT_B, registration: 1, sequence: 0, issuedAt: clock.now(), expiresAt: clock.now() + 86_400_000 };
    auth.issuedTokens.record(entry as Parameters<typeof auth.issuedTokens.record>[0]);
  }
}

describe('revocation holds whatever the ledger keeps and whatever the clock skew', () => {
  it('expire-all refuses a token the ledger has forgotten', async () => {
    const fixture = await authFixture();
    const forgotten = await fixture.tokenFor();
    floodLedger(fixture);
    fixture.auth.policy.expireAllNow();
    expect(await refusalReason(fixture.auth.verify(forgotten))).toBe('revoked');
    await expect(fixture.auth.verify(await fixture.tokenFor())).resolves.toBeDefined();
  });

  it('a positive clock skew does not carry a token past an expire-all or a client revocation', async () => {
    const fixture = await authFixture();
    const { auth, clock, tokenFor } = fixture;
    auth.policy.clockSkewSeconds = 600;
    const beforeExpireAll = await tokenFor();
    clock.advance(10_000);
    auth.policy.expireAllNow();
    const beforeRevocation = await tokenFor();
    clock.advance(10_000);
    auth.policy.revokeClientTokens('app');
    floodLedger(fixture);
    // Past the skewed not-before, so the only reason left to refuse them is the cut-offs.
    clock.advance(600_000);
    expect(await refusalReason(auth.verify(beforeExpireAll))).toBe('revoked');
    expect(await refusalReason(auth.verify(beforeRevocation))).toBe('revoked');
    auth.policy.clockSkewSeconds = 0;
    await expect(auth.verify(await tokenFor())).resolves.toBeDefined();
  });
});
