import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CheckUsageError } from './checkErrors.js';
import { isObject } from './fhirJson.js';

/** The algorithms SMART Backend Services asks partners to accept for client assertions. */
export type AssertionAlgorithm = 'RS384' | 'ES384';

/** The client's own key for private_key_jwt: its private half, and the kid the partner registered it under. */
export interface ClientSigningKey {
  privateKey: KeyObject;
  kid: string;
}

/** A signing key ready to use: the algorithm follows from the key's type. */
export interface AssertionSigner extends ClientSigningKey {
  alg: AssertionAlgorithm;
}

const OPTION = '--private-key';

/**
 * The algorithm a private key signs assertions with: RS384 for RSA, ES384 for EC on P-384. Anything
 * else is a usage error, since a partner following SMART refuses it.
 */
export function assertionSigner(key: ClientSigningKey): AssertionSigner {
  const { privateKey, kid } = key;
  if (privateKey.type !== 'private') throw new CheckUsageError(OPTION, `is a ${privateKey.type} key; the client signs with its private key`);
  if (kid.trim() === '') throw new CheckUsageError('--kid', 'must not be empty');
  if (privateKey.asymmetricKeyType === 'rsa') return { privateKey, kid, alg: 'RS384' };
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  if (privateKey.asymmetricKeyType === 'ec' && curve === 'secp384r1') return { privateKey, kid, alg: 'ES384' };
  const kind = privateKey.asymmetricKeyType === 'ec' ? `an EC key on ${curve ?? 'an unknown curve'}` : `a ${privateKey.asymmetricKeyType ?? 'non-asymmetric'} key`;
  throw new CheckUsageError(OPTION, `is ${kind}; SMART Backend Services signs with RS384 (an RSA key) or ES384 (an EC key on P-384)`);
}

/**
 * Reads the client's private key from a file: PEM (PKCS#8, or the PKCS#1 and SEC1 forms) or a JWK
 * (a single key, or a JWK Set from which the kid picks one). The kid is `kid`, else the JWK's own.
 */
export async function loadClientSigningKey(file: string, kid: string | undefined): Promise<ClientSigningKey> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CheckUsageError(OPTION, `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseClientSigningKey(text, kid, file);
}

export function parseClientSigningKey(text: string, kid: string | undefined, file: string): ClientSigningKey {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    if (kid === undefined) throw new CheckUsageError('--kid', 'is required with a PEM key: the kid the partner registered the public key under');
    return { privateKey: privateKeyFrom(file, () => createPrivateKey(trimmed)), kid };
  }
  const jwk = chosenJwk(jsonOf(trimmed, file), kid, file);
  const ownKid = typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : undefined;
  const chosenKid = kid ?? ownKid;
  if (chosenKid === undefined) throw new CheckUsageError('--kid', `is required: the JWK in ${file} has no kid`);
  if (typeof jwk.d !== 'string') throw new CheckUsageError(OPTION, `the JWK in ${file} holds no private key (no "d"): give the client's private key, not the one registered with the partner`);
  return { privateKey: privateKeyFrom(file, () => createPrivateKey({ key: jwk, format: 'jwk' })), kid: chosenKid };
}

function jsonOf(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CheckUsageError(OPTION, `${file} is neither a PEM private key nor a JWK (JSON)`);
  }
}

/** A JWK as it is, or the key of a JWK Set that the kid names (the only one, without a kid). */
function chosenJwk(value: unknown, kid: string | undefined, file: string): JsonWebKey {
  if (!isObject(value)) throw new CheckUsageError(OPTION, `${file} is not a JWK or a JWK Set`);
  if (!Array.isArray(value.keys)) return value as JsonWebKey;
  const keys = value.keys.filter(isObject);
  const named = kid === undefined ? keys : keys.filter((key) => key.kid === kid);
  if (named.length === 1) return named[0] as JsonWebKey;
  const kids = keys.map((key) => JSON.stringify(key.kid ?? null)).join(', ');
  if (named.length === 0) throw new CheckUsageError('--kid', `${file} holds no key with kid ${JSON.stringify(kid)} (its kids: ${kids})`);
  throw new CheckUsageError('--kid', `${file} holds ${keys.length} keys (kids ${kids}): name one with --kid`);
}

function privateKeyFrom(file: string, create: () => KeyObject): KeyObject {
  try {
    return create();
  } catch (error) {
    throw new CheckUsageError(OPTION, `${file} holds no usable private key: ${error instanceof Error ? error.message : String(error)}`);
  }
}
