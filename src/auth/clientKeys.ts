import type { JWK } from 'jose';
import type { Clock } from '../lib/clock.js';
import { readClientKey, type AssertionAlgorithm, type ClientKey } from './clientKey.js';
import { ClientRegistryError } from './clientRegistryError.js';
import type { JwksFetchLimits } from './fetchJwks.js';
import { RemoteJwks, type RemoteJwksView } from './remoteJwks.js';

// A JWKS in rotation holds a few keys; more is a mistake, and the registry stays small.
export const MAX_INLINE_KEYS = 10;

interface InlineKey extends ClientKey {
  addedAt: number;
}

/** What the admin API and dashboard see of a client's keys: public halves only. */
export interface ClientKeysView {
  keys: Array<{ kid: string; alg: AssertionAlgorithm; addedAt: string; jwk: JWK }>;
  jwksUrl: RemoteJwksView | null;
}

/**
 * The public keys one client signs its assertions with: registered inline (added and removed one
 * by one while rotating, like secrets) and/or at a JWKS URL the sandbox fetches. Nothing else is
 * trusted: an assertion cannot bring its own key.
 */
export class ClientKeys {
  readonly #inline: InlineKey[] = [];
  #remote: RemoteJwks | undefined;
  readonly #limits: JwksFetchLimits;
  readonly #clock: Clock;

  constructor(limits: JwksFetchLimits, clock: Clock) {
    this.#limits = limits;
    this.#clock = clock;
  }

  /** Adds keys, all or none: every key is checked first. Throws ClientRegistryError. */
  add(jwks: readonly unknown[]): ClientKey[] {
    const added: ClientKey[] = [];
    jwks.forEach((jwk, index) => {
      const reading = readClientKey(jwk);
      if ('problem' in reading) throw new ClientRegistryError('invalid-key', `keys[${index}]: ${reading.problem}`);
      const { kid } = reading.key;
      if (this.#inline.some((key) => key.kid === kid) || added.some((key) => key.kid === kid)) {
        throw new ClientRegistryError('key-exists', `keys[${index}]: a key with kid "${kid}" is already registered; kids must be unique`);
      }
      added.push(reading.key);
    });
    if (this.#inline.length + added.length > MAX_INLINE_KEYS) {
      throw new ClientRegistryError('too-many-keys', `a client holds at most ${MAX_INLINE_KEYS} keys: remove one first`);
    }
    const addedAt = this.#clock.now();
    this.#inline.push(...added.map((key) => ({ ...key, addedAt })));
    return added;
  }

  hasInline(kid: string): boolean {
    return this.#inline.some((key) => key.kid === kid);
  }

  remove(kid: string): void {
    const index = this.#inline.findIndex((key) => key.kid === kid);
    if (index < 0) throw new ClientRegistryError('key-not-found', `no key with kid "${kid}" is registered inline`);
    this.#inline.splice(index, 1);
  }

  /** Sets or (undefined) drops the JWKS URL; a new URL starts with nothing cached. */
  setUrl(url: string | undefined): void {
    this.#remote = url === undefined ? undefined : new RemoteJwks(url, this.#limits, this.#clock);
  }

  get url(): string | undefined {
    return this.#remote?.url;
  }

  /** Inline keys, and 1 for a JWKS URL: whether anything could sign an assertion. */
  get count(): number {
    return this.#inline.length + (this.#remote === undefined ? 0 : 1);
  }

  /** The key an assertion names: inline keys first, then the JWKS URL's. Throws JwksFetchError when the URL fails. */
  async find(kid: string): Promise<ClientKey | undefined> {
    return this.#inline.find((key) => key.kid === kid) ?? (await this.#remote?.find(kid));
  }

  /** Fetches the JWKS URL now. Throws ClientRegistryError without one, JwksFetchError when it fails. */
  async refresh(): Promise<RemoteJwksView> {
    if (this.#remote === undefined) throw new ClientRegistryError('no-jwks-url', 'the client has no JWKS URL to fetch');
    await this.#remote.refresh();
    return this.#remote.view();
  }

  view(): ClientKeysView {
    return {
      keys: this.#inline.map((key) => ({ kid: key.kid, alg: key.alg, addedAt: new Date(key.addedAt).toISOString(), jwk: key.jwk })),
      jwksUrl: this.#remote?.view() ?? null,
    };
  }
}
