import { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import type { Clock } from '../lib/clock.js';
import { SigningKeyError } from './signingKeyError.js';

export const SIGNING_ALGORITHM = 'ES256';

interface SigningKey {
  kid: string;
  /** A node KeyObject, made once: jose signs with it in about half the time a WebCrypto key takes. */
  privateKey: KeyObject;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

interface RetiredKey {
  kid: string;
  publicKey: CryptoKey;
  publicJwk: JWK;
  /** Tokens signed with it verify until this time (ms). */
  acceptUntil: number;
}

/**
 * The token signing keys: one current key, and keys rotated away that still verify during a grace
 * period. The JWKS lists every key that still verifies.
 */
export class SigningKeyRing {
  #current: SigningKey;
  #retired: RetiredKey[] = [];
  readonly #clock: Clock;

  private constructor(current: SigningKey, clock: Clock) {
    this.#current = current;
    this.#clock = clock;
  }

  /** A ring with a key read from a PKCS#8 PEM file (EC P-256), or a freshly generated one. */
  static async create(clock: Clock, pemFile?: string): Promise<SigningKeyRing> {
    const key = pemFile ? await keyFromPem(pemFile) : await generateKey();
    return new SigningKeyRing(key, clock);
  }

  get current(): { kid: string; privateKey: KeyObject } {
    return this.#current;
  }

  /** The public key for a token's `kid`, if that key may still verify tokens. */
  verificationKey(kid: string | undefined): CryptoKey | undefined {
    if (kid === undefined) return undefined;
    if (kid === this.#current.kid) return this.#current.publicKey;
    const now = this.#clock.now();
    return this.#retired.find((key) => key.kid === kid && key.acceptUntil > now)?.publicKey;
  }

  /**
   * Replaces the current key. Tokens of every earlier key verify for at most `graceSeconds` more: the
   * key just replaced gets that grace, and keys still inside an earlier grace period have theirs cut
   * to it, so 0 leaves only the new key.
   */
  async rotate(graceSeconds: number): Promise<string> {
    const previous = this.#current;
    this.#current = await generateKey();
    const now = this.#clock.now();
    const acceptUntil = now + graceSeconds * 1000;
    this.#retired = [...this.#retired, { ...previous, acceptUntil }]
      .map((key) => ({ ...key, acceptUntil: Math.min(key.acceptUntil, acceptUntil) }))
      .filter((key) => key.acceptUntil > now);
    return this.#current.kid;
  }

  jwks(): { keys: JWK[] } {
    const now = this.#clock.now();
    const live = this.#retired.filter((key) => key.acceptUntil > now).map((key) => key.publicJwk);
    return { keys: [this.#current.publicJwk, ...live] };
  }
}

async function generateKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  return describeKey(privateKey, publicKey);
}

async function keyFromPem(file: string): Promise<SigningKey> {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SigningKeyError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  let privateKey: CryptoKey;
  try {
    privateKey = await importPKCS8(pem, SIGNING_ALGORITHM, { extractable: true });
  } catch (error) {
    throw new SigningKeyError(file, 'is not a PKCS#8 PEM EC P-256 private key (make one with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)', { cause: error });
  }
  // The public half is derived from the private JWK by dropping `d`.
  const { kty, crv, x, y } = await exportJWK(privateKey);
  const publicKey = (await importJWK({ kty, crv, x, y }, SIGNING_ALGORITHM)) as CryptoKey;
  return describeKey(privateKey, publicKey);
}

async function describeKey(privateKey: CryptoKey, publicKey: CryptoKey): Promise<SigningKey> {
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey: KeyObject.from(privateKey), publicKey, publicJwk: { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' } };
}
