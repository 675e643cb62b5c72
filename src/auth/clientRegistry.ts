import { randomUUID } from 'node:crypto';
import type { Clock } from '../lib/clock.js';
import { ClientKeys, type ClientKeysView } from './clientKeys.js';
import { ClientRegistryError } from './clientRegistryError.js';
import { DEFAULT_JWKS_LIMITS, type JwksFetchLimits } from './fetchJwks.js';
import type { RemoteJwksView } from './remoteJwks.js';
import type { AllowedScopes } from './scopeGrant.js';
import { formatSmartScope, parseSmartScope, type SmartScope } from './smartScope.js';
import { generateSecret, scryptSecrets, type SecretHash, type SecretHasher } from './secretHash.js';
import { SecretHashing } from './secretHashing.js';
import { VerifiedSecrets } from './verifiedSecrets.js';

export { ClientRegistryError, type RegistryErrorCode } from './clientRegistryError.js';

/**
 * The partner's "registration portal": app registrations with up to two live secrets, public keys
 * for private_key_jwt (inline or at a JWKS URL), or both while a client migrates.
 */

export const MAX_LIVE_SECRETS = 2;

interface StoredSecret {
  id: string;
  createdAt: number;
  hashing: SecretHashing;
}

interface StoredClient {
  id: string;
  /** Which registration of this id it is (1, 2, … after deletes); tokens carry it and must match. */
  registration: number;
  name: string;
  tenants: '*' | ReadonlySet<string>;
  secrets: StoredSecret[];
  keys: ClientKeys;
  /** The SMART scopes it may be granted. */
  scopes: AllowedScopes;
  createdAt: number;
}

/** What the admin API and dashboard may see of a client: never a secret or its hash. */
export interface ClientView {
  id: string;
  name: string;
  tenants: '*' | string[];
  secrets: Array<{ id: string; createdAt: string }>;
  keys: ClientKeysView['keys'];
  jwksUrl: RemoteJwksView | null;
  /** The token endpoint authentication methods its credentials allow. */
  authMethods: Array<'client_secret_basic' | 'client_secret_post' | 'private_key_jwt'>;
  /** The SMART scopes it may be granted: "*" for any. */
  scopes: '*' | string[];
  createdAt: string;
}

export interface NewClient {
  id?: string | undefined;
  name?: string | undefined;
  /** Without a secret, keys or a JWKS URL, a secret is generated. */
  secret?: string | undefined;
  /** Public JWKs (the `keys` of a JWK Set) for private_key_jwt. */
  keys?: readonly unknown[] | undefined;
  jwksUrl?: string | undefined;
  tenants: '*' | readonly string[];
  /** SMART scopes it may be granted; "*" (the default) for any. */
  scopes?: '*' | readonly string[] | undefined;
}

export class ClientRegistry {
  readonly #clients = new Map<string, StoredClient>();
  // Registrations per client id ever made, so an id registered again gets a new number.
  readonly #registrationCounts = new Map<string, number>();
  readonly #clock: Clock;
  readonly #hasher: SecretHasher;
  // Compared against in place of secrets a client does not have, so every check costs the same.
  readonly #decoy: SecretHashing;
  readonly #jwksLimits: JwksFetchLimits;
  readonly #verified = new VerifiedSecrets();

  constructor(clock: Clock, hasher: SecretHasher = scryptSecrets, jwksLimits: JwksFetchLimits = DEFAULT_JWKS_LIMITS) {
    this.#clock = clock;
    this.#hasher = hasher;
    this.#decoy = this.#hashing(generateSecret());
    this.#jwksLimits = jwksLimits;
  }

  /**
   * Registers a client; returns its view and, when it has one, the secret in clear (shown once).
   * Everything is checked before anything is stored. Throws ClientRegistryError.
   */
  create(input: NewClient): { client: ClientView; secret: string | undefined } {
    const id = input.id ?? `client-${randomUUID()}`;
    if (this.#clients.has(id)) throw new ClientRegistryError('client-exists', `client ${id} already exists`);
    const keys = new ClientKeys(this.#jwksLimits, this.#clock);
    if (input.keys !== undefined) keys.add(input.keys);
    if (input.jwksUrl !== undefined) keys.setUrl(input.jwksUrl);
    const scopes = allowedScopes(input.scopes ?? '*');
    const secret = input.secret ?? (keys.count === 0 ? generateSecret() : undefined);
    const registration = (this.#registrationCounts.get(id) ?? 0) + 1;
    this.#registrationCounts.set(id, registration);
    const client: StoredClient = {
      id,
      registration,
      name: input.name ?? id,
      tenants: input.tenants === '*' ? '*' : new Set(input.tenants.map((tenant) => tenant.toLowerCase())),
      secrets: secret === undefined ? [] : [this.#newSecret(secret)],
      keys,
      scopes,
      createdAt: this.#clock.now(),
    };
    this.#clients.set(id, client);
    return { client: toView(client), secret };
  }

  list(): ClientView[] {
    return [...this.#clients.values()].map(toView);
  }

  get(id: string): ClientView | undefined {
    const client = this.#clients.get(id);
    return client && toView(client);
  }

  has(id: string): boolean {
    return this.#clients.has(id);
  }

  delete(id: string): void {
    if (!this.#clients.delete(id)) throw new ClientRegistryError('client-not-found', `no client ${id}`);
    this.#verified.forget(id);
  }

  /** Adds a new secret beside the current one (a rotation); at most two live at once. */
  rotateSecret(id: string): { secretId: string; secret: string } {
    const client = this.#require(id);
    if (client.secrets.length >= MAX_LIVE_SECRETS) {
      throw new ClientRegistryError(
        'too-many-secrets',
        `client ${id} already has ${MAX_LIVE_SECRETS} live secrets: revoke one first`,
      );
    }
    const secret = generateSecret();
    const stored = this.#newSecret(secret);
    client.secrets.push(stored);
    this.#verified.forget(id);
    return { secretId: stored.id, secret };
  }

  revokeSecret(id: string, secretId: string): void {
    const client = this.#require(id);
    const index = client.secrets.findIndex((secret) => secret.id === secretId);
    if (index < 0) throw new ClientRegistryError('secret-not-found', `client ${id} has no secret ${secretId}`);
    if (client.secrets.length === 1 && client.keys.count === 0) {
      throw new ClientRegistryError('last-secret', `secret ${secretId} is the last credential of ${id}: rotate first, register a key, or delete the client`);
    }
    client.secrets.splice(index, 1);
    this.#verified.forget(id);
  }

  /** Adds public keys beside the current ones (a key rotation's first half). */
  addKeys(id: string, jwks: readonly unknown[]): ClientView {
    const client = this.#require(id);
    client.keys.add(jwks);
    return toView(client);
  }

  /** Removes an inline key (a rotation's second half); never the client's last credential. */
  removeKey(id: string, kid: string): void {
    const client = this.#require(id);
    if (client.keys.hasInline(kid) && client.keys.count === 1 && client.secrets.length === 0) {
      throw new ClientRegistryError('last-credential', `key "${kid}" is the last credential of ${id}: register another key or a secret first`);
    }
    client.keys.remove(kid);
  }

  /** Sets the JWKS URL, or drops it (undefined) unless it is the client's last credential. */
  setJwksUrl(id: string, url: string | undefined): ClientView {
    const client = this.#require(id);
    if (url === undefined && client.keys.url !== undefined && client.keys.count === 1 && client.secrets.length === 0) {
      throw new ClientRegistryError('last-credential', `the JWKS URL is the last credential of ${id}: register a key or a secret first`);
    }
    client.keys.setUrl(url);
    return toView(client);
  }

  /** Fetches the client's JWKS URL now. Throws ClientRegistryError, or JwksFetchError when the URL fails. */
  async refreshJwks(id: string): Promise<ClientView> {
    const client = this.#require(id);
    await client.keys.refresh();
    return toView(client);
  }

  setScopes(id: string, scopes: '*' | readonly string[]): ClientView {
    const client = this.#require(id);
    client.scopes = allowedScopes(scopes);
    return toView(client);
  }

  /** The keys an assertion from this client id may be checked with; undefined for an unknown id. */
  keysOf(id: string): ClientKeys | undefined {
    return this.#clients.get(id)?.keys;
  }

  /** The SMART scopes a client may be granted; an unknown id may have none. */
  allowedScopesOf(id: string): AllowedScopes {
    return this.#clients.get(id)?.scopes ?? [];
  }

  /**
   * True when the id exists and the secret matches one of its live secrets. Every call does the same
   * work: exactly MAX_LIVE_SECRETS hash comparisons, against the client's live secrets and a decoy in
   * place of each one it lacks (all of them for an unknown id). So the time a token request takes
   * does not tell whether a client id exists, how many secrets it has, or which one matched.
   * For a registry whose hasher hashes synchronously: with `hashAsync`, use verifySecret, which waits for the hashes.
   */
  authenticate(id: string, secret: string): boolean {
    const secrets = this.#clients.get(id)?.secrets ?? [];
    let matched = false;
    for (let slot = 0; slot < MAX_LIVE_SECRETS; slot++) {
      const stored = secrets[slot];
      const matches = this.#hasher.matches(secret, (stored?.hashing ?? this.#decoy).settled);
      matched = (stored !== undefined && matches) || matched;
    }
    return matched;
  }

  /**
   * `authenticate` for the token endpoint: the hashing runs off the event loop, and a pair that
   * verified is remembered (see VerifiedSecrets) until the client's secrets change. A pair not
   * remembered costs the same as in `authenticate` — MAX_LIVE_SECRETS comparisons, decoys in place
   * of missing secrets — so an unknown id still costs what a wrong secret does.
   */
  async verifySecret(id: string, secret: string): Promise<boolean> {
    const digest = this.#verified.digest(id, secret);
    if (this.#verified.verified(digest, id)) return true;
    const client = this.#clients.get(id);
    const secrets = client?.secrets.slice(0, MAX_LIVE_SECRETS) ?? [];
    const comparisons: Array<Promise<boolean>> = [];
    for (let slot = 0; slot < MAX_LIVE_SECRETS; slot++) {
      const stored = secrets[slot];
      const hashing = stored?.hashing ?? this.#decoy;
      comparisons.push(hashing.ready.then((hash) => this.#matchesAsync(secret, hash)).then((matches) => stored !== undefined && matches));
    }
    const matched = (await Promise.all(comparisons)).some(Boolean);
    // The secrets may have been rotated, revoked or deleted while the hashes ran: only a pair that
    // still matches a live secret of the same registration verifies, and only that is remembered.
    const stillLive = client !== undefined && this.#clients.get(id) === client && secrets.every((stored) => client.secrets.includes(stored));
    if (!matched || !stillLive) return false;
    this.#verified.remember(digest, id);
    return true;
  }

  /** The live registration number of a client id; undefined when the id is not registered now. */
  registrationOf(id: string): number | undefined {
    return this.#clients.get(id)?.registration;
  }

  mayUseTenant(id: string, tenantId: string): boolean {
    const client = this.#clients.get(id);
    if (!client) return false;
    return client.tenants === '*' || client.tenants.has(tenantId.toLowerCase());
  }

  #matchesAsync(secret: string, stored: SecretHash): Promise<boolean> {
    return this.#hasher.matchesAsync?.(secret, stored) ?? Promise.resolve(this.#hasher.matches(secret, stored));
  }

  #require(id: string): StoredClient {
    const client = this.#clients.get(id);
    if (!client) throw new ClientRegistryError('client-not-found', `no client ${id}`);
    return client;
  }

  #newSecret(secret: string): StoredSecret {
    return { id: randomUUID(), createdAt: this.#clock.now(), hashing: this.#hashing(secret) };
  }

  #hashing(secret: string): SecretHashing {
    return new SecretHashing(this.#hasher.hashAsync?.(secret) ?? this.#hasher.hash(secret));
  }
}

function toView(client: StoredClient): ClientView {
  const keys = client.keys.view();
  return {
    id: client.id,
    name: client.name,
    tenants: client.tenants === '*' ? '*' : [...client.tenants],
    secrets: client.secrets.map((secret) => ({ id: secret.id, createdAt: new Date(secret.createdAt).toISOString() })),
    keys: keys.keys,
    jwksUrl: keys.jwksUrl,
    authMethods: [
      ...(client.secrets.length > 0 ? (['client_secret_basic', 'client_secret_post'] as const) : []),
      ...(client.keys.count > 0 ? (['private_key_jwt'] as const) : []),
    ],
    scopes: client.scopes === '*' ? '*' : client.scopes.map(formatSmartScope),
    createdAt: new Date(client.createdAt).toISOString(),
  };
}

/** Allowed scopes as given (profile, admin API), each checked. Throws ClientRegistryError. */
function allowedScopes(scopes: '*' | readonly string[]): AllowedScopes {
  if (scopes === '*') return '*';
  return scopes.map((text, index): SmartScope => {
    const parsed = parseSmartScope(text);
    if ('problem' in parsed) throw new ClientRegistryError('invalid-scope', `scopes[${index}]: ${parsed.problem}`);
    return parsed.scope;
  });
}
