import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AssertionSigner } from './clientSigningKey.js';

/** RFC 7523: how a token request says its client authentication is a signed JWT. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

// Well inside SMART's five-minute limit, with room for a partner whose clock is a little behind or ahead.
const ASSERTION_LIFETIME_SECONDS = 120;

export interface AssertionClaims {
  clientId: string;
  /** The token endpoint URL: the only audience a partner may accept. */
  audience: string;
  /** Milliseconds since the epoch, from the run's clock. */
  now: number;
}

/**
 * A client assertion as SMART Backend Services specifies it: `iss` = `sub` = the client id, `aud` the
 * token URL, a short `exp`, a fresh `jti` (one token request each), and the key's `kid` in the header.
 */
export async function signClientAssertion(signer: AssertionSigner, { clientId, audience, now }: AssertionClaims): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT()
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ASSERTION_LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(signer.privateKey);
}
