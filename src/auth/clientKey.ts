import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';

/** What SMART Backend Services asks a server to accept for client assertions, and nothing else. */
export const ASSERTION_ALGORITHMS = ['RS384', 'ES384'] as const;
export type AssertionAlgorithm = (typeof ASSERTION_ALGORITHMS)[number];

// SMART asks for RSA keys of at least 2048 bits.
const MIN_RSA_BITS = 2048;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = { RSA: ['kty', 'n', 'e'], EC: ['kty', 'crv', 'x', 'y'] };

/** A public key a client registered (inline or at its JWKS URL) to sign its assertions with. */
export interface ClientKey {
  kid: string;
  alg: AssertionAlgorithm;
  /** The key's public members with kid and alg: what the admin API shows. */
  jwk: JWK;
  key: KeyObject;
}

export type KeyReading = { key: ClientKey } | { problem: string };

/**
 * Reads one JWK as a key for private_key_jwt: a public RSA key of 2048 bits or more (RS384) or an
 * EC P-384 key (ES384), with the `kid` the client's assertions will name. Synchronous (node:crypto),
 * so registering a client stays a plain call.
 */
export function readClientKey(input: unknown): KeyReading {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { problem: 'a key must be a JWK object' };
  const jwk = input as Record<string, unknown>;
  const name = typeof jwk['kid'] === 'string' ? `key "${jwk['kid']}"` : 'a key';
  const secretPart = PRIVATE_MEMBERS.find((member) => member in jwk);
  if (jwk['kty'] === 'oct') return { problem: `${name} is symmetric (kty oct): private_key_jwt needs an RSA or EC P-384 public key` };
  if (secretPart !== undefined) return { problem: `${name} holds private key material ("${secretPart}"): register only the public key` };
  if (typeof jwk['kid'] !== 'string' || jwk['kid'] === '') return { problem: `${name} has no kid: give each key the kid its assertions will name` };
  if (jwk['use'] !== undefined && jwk['use'] !== 'sig') return { problem: `${name} has use "${String(jwk['use'])}": a signing key has use "sig" or none` };
  const alg = algorithmOf(jwk);
  if (alg === undefined) return { problem: `${name} must be RSA (RS384) or EC on P-384 (ES384); got kty ${String(jwk['kty'])}${jwk['crv'] ? ` crv ${String(jwk['crv'])}` : ''}` };
  if (jwk['alg'] !== undefined && jwk['alg'] !== alg) return { problem: `${name} says alg ${String(jwk['alg'])}; this server accepts ${alg} for a ${String(jwk['kty'])} key` };
  const publicJwk = Object.fromEntries((PUBLIC_MEMBERS[jwk['kty'] as string] ?? []).map((member) => [member, jwk[member]]));
  let key: KeyObject;
  try {
    key = createPublicKey({ key: publicJwk, format: 'jwk' });
  } catch {
    return { problem: `${name} is not a valid ${String(jwk['kty'])} public key` };
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (alg === 'RS384' && (bits ?? 0) < MIN_RSA_BITS) return { problem: `${name} is a ${bits}-bit RSA key: at least ${MIN_RSA_BITS} bits are required` };
  return { key: { kid: jwk['kid'], alg, jwk: { ...publicJwk, kid: jwk['kid'], alg }, key } };
}

function algorithmOf(jwk: Record<string, unknown>): AssertionAlgorithm | undefined {
  if (jwk['kty'] === 'RSA') return 'RS384';
  if (jwk['kty'] === 'EC' && jwk['crv'] === 'P-384') return 'ES384';
  return undefined;
}
