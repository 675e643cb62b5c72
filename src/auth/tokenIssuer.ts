import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Clock } from '../lib/clock.js';
import type { IssuedTokens } from './issuedTokens.js';
import { SIGNING_ALGORITHM, type SigningKeyRing } from './signingKeys.js';
import type { TokenPolicy } from './tokenPolicy.js';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export interface TokenIssuerOptions {
  keys: SigningKeyRing;
  policy: TokenPolicy;
  ledger: IssuedTokens;
  clock: Clock;
  issuer: string;
  audience: string;
}

/** Signs access tokens: `sub` the client, `scope` and `tid` the tenant, lifetime from the policy. */
export class TokenIssuer {
  readonly #options: TokenIssuerOptions;

  constructor(options: TokenIssuerOptions) {
    this.#options = options;
  }

  async issue(clientId: string, tenantId: string): Promise<TokenResponse & { jti: string; expiresAt: number }> {
    const { keys, policy, ledger, clock, issuer, audience } = this.#options;
    const now = clock.now();
    const issuedAtSeconds = Math.floor(now / 1000) + policy.clockSkewSeconds;
    const expiresAtSeconds = Math.floor(now / 1000) + policy.lifetimeSeconds;
    const jti = randomUUID();
    const key = keys.current;
    const jwt = new SignJWT({ scope: tenantId, tid: tenantId })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setSubject(clientId)
      .setAudience(audience)
      .setIssuedAt(issuedAtSeconds)
      .setExpirationTime(expiresAtSeconds)
      .setJti(jti);
    if (policy.clockSkewSeconds > 0) jwt.setNotBefore(issuedAtSeconds);
    const accessToken = await jwt.sign(key.privateKey);
    const expiresAt = expiresAtSeconds * 1000;
    ledger.record({ jti, clientId, tenantId, issuedAt: now, expiresAt });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: policy.lifetimeSeconds,
      scope: tenantId,
      jti,
      expiresAt,
    };
  }
}
