import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

/** A client secret as stored: never the secret itself. */
export interface SecretHash {
  salt: string;
  hash: string;
}

// Modest scrypt cost: secrets are checked once per token request, and demo secrets are short.
const SCRYPT_OPTIONS = { N: 2 ** 12, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

export function hashSecret(secret: string): SecretHash {
  const salt = randomBytes(16);
  return { salt: salt.toString('base64'), hash: scryptSync(secret, salt, KEY_LENGTH, SCRYPT_OPTIONS).toString('base64') };
}

/** `hashSecret` on libuv's thread pool: registering a client does not block the event loop for scrypt. */
export function hashSecretAsync(secret: string): Promise<SecretHash> {
  const salt = randomBytes(16);
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, SCRYPT_OPTIONS, (error, hash) => {
      if (error) reject(error);
      else resolve({ salt: salt.toString('base64'), hash: hash.toString('base64') });
    });
  });
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, stored: SecretHash): boolean {
  const candidate = scryptSync(secret, Buffer.from(stored.salt, 'base64'), KEY_LENGTH, SCRYPT_OPTIONS);
  return timingSafeEqual(candidate, Buffer.from(stored.hash, 'base64'));
}

/** The same comparison on libuv's thread pool: the event loop keeps serving while scrypt runs. */
export function secretMatchesAsync(secret: string, stored: SecretHash): Promise<boolean> {
  return new Promise((resolve, reject) => {
    scrypt(secret, Buffer.from(stored.salt, 'base64'), KEY_LENGTH, SCRYPT_OPTIONS, (error, candidate) => {
      if (error) reject(error);
      else resolve(timingSafeEqual(candidate, Buffer.from(stored.hash, 'base64')));
    });
  });
}

/** How client secrets are hashed and checked; the registry takes one so tests can count comparisons. */
export interface SecretHasher {
  hash(secret: string): SecretHash;
  /** The non-blocking form of `hash`; with it, the registry stores secrets while their hashes are computed. */
  hashAsync?(secret: string): Promise<SecretHash>;
  matches(secret: string, stored: SecretHash): boolean;
  /** The non-blocking form of `matches`; without it, `matches` is used. */
  matchesAsync?(secret: string, stored: SecretHash): Promise<boolean>;
}

export const scryptSecrets: SecretHasher = { hash: hashSecret, matches: secretMatches, matchesAsync: secretMatchesAsync };

/** scryptSecrets hashing off the event loop too: the server's registry (nothing there compares synchronously). */
export const scryptSecretsOffThread: SecretHasher = { ...scryptSecrets, hashAsync: hashSecretAsync };

/** A new high-entropy secret for rotation: URL-safe, 32 random bytes. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}
