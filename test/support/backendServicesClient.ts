import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/**
 * A SMART Backend Services client written from the specification alone (SMART App Launch 2.0,
 * "Backend Services" and "Client Authentication: Asymmetric"): it knows nothing of the sandbox's code.
 * It holds a key pair, publishes the public half as a JWK with a kid, and signs a fresh assertion
 * (iss = sub = client_id, aud = token endpoint, exp ≤ 5 minutes, unique jti) for each token request.
 */

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type BackendAlgorithm = 'RS384' | 'ES384';

export interface BackendKey {
  alg: BackendAlgorithm;
  kid: string;
  privateKey: CryptoKey;
  /** The public JWK to register, with kid and alg. */
  publicJwk: JWK;
}

export async function backendKey(alg: BackendAlgorithm, kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`): Promise<BackendKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface AssertionOptions {
  clientId: string;
  tokenUrl: string;
  key: BackendKey;
  /** Seconds since the epoch; the assertion's clock. */
  now: number;
  /** Claims to change or (undefined) leave out, and header fields to add or override. */
  claims?: Partial<Record<keyof JWTPayload | string, unknown>>;
  header?: Record<string, unknown>;
  /** Sign with another key than `key` (whose kid and alg the header still names). */
  signWith?: CryptoKey;
}

/** A client assertion as SMART specifies it; `claims` and `header` bend it to break one rule at a time. */
export async function signAssertion({ clientId, tokenUrl, key, now, claims = {}, header = {}, signWith }: AssertionOptions): Promise<string> {
  const payload: Record<string, unknown> = { iss: clientId, sub: clientId, aud: tokenUrl, exp: now + 240, iat: now, jti: randomUUID(), ...claims };
  for (const name of Object.keys(claims)) if (claims[name] === undefined) delete payload[name];
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header } as { alg: string }).sign(signWith ?? key.privateKey);
}

/** The token request form for client_credentials with a client assertion. */
export function assertionForm(assertion: string, scope: string): Record<string, string> {
  return { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion, scope };
}
