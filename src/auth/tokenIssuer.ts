import { randomUUID } from 'node:crypto';
import type { Clock } from '../lib/clock.js';
import { jsonString } from '../lib/jsonString.js';
import type { IssuedTokens } from './issuedTokens.js';
import type { IssueSequence } from './issueSequence.js';
import { SIGNING_ALGORITHM, type SigningKeyRing } from './signingKeys.js';
import { jwtHeaderSegment, signEs256ClaimsOffThread } from './signJwt.js';
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
  readonly #issuerJson: string;
  readonly #audienceJson: string;
  // The header segment of the current key: the same bytes for every token until the key rotates.
  #header = { kid: '', segment: '' };

  constructor(options: TokenIssuerOptions) {
    this.#options = options;
    this.#issuerJson = JSON.stringify(options.issuer);
    this.#audienceJson = JSON.stringify(options.audience);
  }

  async issue({ clientId, registration, tenantId, scopes }: TokenSubject): Promise<IssuedAccessToken> {
    const { keys, policy, ledger, sequence: issueSequence, clock } = this.#options;
    const now = clock.now();
    const sequence = issueSequence.next();
    // Time claims are written from the token service's clock, which the skew policy may set off the
    // gateway's true one; expires_in stays the lifetime, as a partner with a wrong clock would say.
    const issuedAtSeconds = Math.floor(now / 1000) + policy.clockSkewSeconds;
    const expiresAtSeconds = issuedAtSeconds + policy.lifetimeSeconds;
    const jti = randomUUID();
    const key = keys.current;
    const scope = scopes.length === 0 ? tenantId : `${tenantId} ${scopes.join(' ')}`;
    // The claims as JSON.stringify wrote them from an object in this order: each value escaped as it
    // would, without building the object and walking it for every token.
    const nbf = policy.clockSkewSeconds > 0 ? `,"nbf":${jsonNumber(issuedAtSeconds)}` : '';
    const claims =
      `{"scope":${jsonString(scope)},"tid":${jsonString(tenantId)},"reg":${jsonNumber(registration)},"seq":${jsonNumber(sequence)},` +
      `"iss":${this.#issuerJson},"sub":${jsonString(clientId)},"aud":${this.#audienceJson},` +
      `"iat":${jsonNumber(issuedAtSeconds)},"exp":${jsonNumber(expiresAtSeconds)},"jti":"${jti}"${nbf}}`;
    const accessToken = await signEs256ClaimsOffThread(this.#headerSegment(key.kid), claims, key.privateKey);
    const expiresAt = expiresAtSeconds * 1000;
    ledger.record({ jti, clientId, tenantId, registration, sequence, issuedAt: now, expiresAt });
    return {
      response: { access_token: accessToken, token_type: 'Bearer', expires_in: policy.lifetimeSeconds, scope },
      jti,
      expiresAt,
    };
  }

  #headerSegment(kid: string): string {
    if (this.#header.kid !== kid) this.#header = { kid, segment: jwtHeaderSegment({ alg: SIGNING_ALGORITHM, kid, typ: 'JWT' }) };
    return this.#header.segment;
  }
}

/** A number as JSON.stringify writes it (null for what JSON cannot hold). */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
