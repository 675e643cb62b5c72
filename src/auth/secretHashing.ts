import type { SecretHash } from './secretHash.js';

/**
 * A stored secret's hash, possibly still being computed on libuv's thread pool: registering a client
 * (the profile's, at start) does not wait for scrypt, and whatever compares against the hash waits
 * for it instead. Synchronous readers get the hash once it is there.
 */
export class SecretHashing {
  #settled: SecretHash | undefined;
  readonly ready: Promise<SecretHash>;

  constructor(hash: SecretHash | Promise<SecretHash>) {
    if (!(hash instanceof Promise)) {
      this.#settled = hash;
      this.ready = Promise.resolve(hash);
      return;
    }
    this.ready = hash.then((settled) => (this.#settled = settled));
    // A failure surfaces where the hash is awaited (a token request), not as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** The hash; a TypeError while it is still being computed (only a synchronous hasher's registry reads it so). */
  get settled(): SecretHash {
    if (this.#settled === undefined) throw new TypeError('the secret is still being hashed: compare with verifySecret, which waits for it');
    return this.#settled;
  }
}
