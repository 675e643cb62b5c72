import { randomUUID } from 'node:crypto';
import type { Clock } from '../lib/clock.js';
import type { IssuedTokens } from './issuedTokens.js';
import type { IssueSequence } from './issueSequence.js';
import { SIGNING_ALGORITHM, type SigningKeyRing } from './signingKeys.js';
import { signEs256Jwt } from './signJwt.js';
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
  sequence: IssueSequence;
  clock: Clock;
  issuer: string;
  audience: string;
}

/** A signed token: the response body, and its id and expiry (ms) for the ledger and events. */
export interface IssuedAccessToken {
  response: TokenResponse;
  jti: string;
  expiresAt: number;
}

/** Who a token is for: the client, the registration of it that asked, the tenant, and the SMART scopes granted. */
export interface TokenSubject {
  clientId: string;
  registration: number;
  tenantId: string;
  scopes: readonly string[];
}

/**
 * Signs access tokens: `sub` the client, `scope` the tenant and the granted SMART scopes, `tid` the tenant, lifetime from the policy,
 * `reg` the client registration that asked and `seq` the issue number (see IssueSequence), which the
 * verifier trusts because they are signed.
 */
export class TokenIssuer {
  readonly #options: TokenIssuerOptions;

  constructor(options: TokenIssuerOptions) {
    this.#options = options;
  }

  issue({ clientId, registration, tenantId, scopes }: TokenSubject): IssuedAccessToken {
    const { keys, policy, ledger, sequence: issueSequence, clock, issuer, audience } = this.#options;
    const now = clock.now();
    const sequence = issueSequence.next();
    // Time claims are written from the token service's clock, which the skew policy may set off the
    // gateway's true one; expires_in stays the lifetime, as a partner with a wrong clock would say.
    const issuedAtSeconds = Math.floor(now / 1000) + policy.clockSkewSeconds;
    const expiresAtSeconds = issuedAtSeconds + policy.lifetimeSeconds;
    const jti = randomUUID();
    const key = keys.current;
    const scope = scopes.length === 0 ? tenantId : `${tenantId} ${scopes.join(' ')}`;
    const claims: Record<string, string | number> = {
      scope,
      tid: tenantId,
      reg: registration,
      seq: sequence,
      iss: issuer,
      sub: clientId,
      aud: audience,
      iat: issuedAtSeconds,
      exp: expiresAtSeconds,
      jti,
    };
    if (policy.clockSkewSeconds > 0) claims.nbf = issuedAtSeconds;
    const accessToken = signEs256Jwt({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' }, claims, key.privateKey);
    const expiresAt = expiresAtSeconds * 1000;
    ledger.record({ jti, clientId, tenantId, registration, sequence, issuedAt: now, expiresAt });
    return {
      response: { access_token: accessToken, token_type: 'Bearer', expires_in: policy.lifetimeSeconds, scope },
      jti,
      expiresAt,
    };
  }
}
