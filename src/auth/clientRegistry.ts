import { randomUUID } from 'node:crypto';
import type { Clock } from '../lib/clock.js';
import { generateSecret, scryptSecrets, type SecretHash, type SecretHasher } from './secretHash.js';

/** The partner's "registration portal": app registrations with up to two live secrets. */

export const MAX_LIVE_SECRETS = 2;

interface StoredSecret extends SecretHash {
  id: string;
  createdAt: number;
}

interface StoredClient {
  id: string;
  /** Which registration of this id it is (1, 2, … after deletes); tokens carry it and must match. */
  registration: number;
  name: string;
  tenants: '*' | ReadonlySet<string>;
  secrets: StoredSecret[];
  createdAt: number;
}

/** What the admin API and dashboard may see of a client: never a secret or its hash. */
export interface ClientView {
  id: string;
  name: string;
  tenants: '*' | string[];
  secrets: Array<{ id: string; createdAt: string }>;
  createdAt: string;
}

export interface NewClient {
  id?: string | undefined;
  name?: string | undefined;
  secret?: string | undefined;
  tenants: '*' | readonly string[];
}

export type RegistryErrorCode = 'client-exists' | 'client-not-found' | 'secret-not-found' | 'too-many-secrets' | 'last-secret';

export class ClientRegistryError extends Error {
  readonly code: RegistryErrorCode;
  constructor(code: RegistryErrorCode, message: string) {
    super(message);
    this.name = 'ClientRegistryError';
    this.code = code;
  }
}

export class ClientRegistry {
  readonly #clients = new Map<string, StoredClient>();
  // Registrations per client id ever made, so an id registered again gets a new number.
  readonly #registrationCounts = new Map<string, number>();
  readonly #clock: Clock;
  readonly #hasher: SecretHasher;
  // Compared against in place of secrets a client does not have, so every check costs the same.
  readonly #decoy: SecretHash;

  constructor(clock: Clock, hasher: SecretHasher = scryptSecrets) {
    this.#clock = clock;
    this.#hasher = hasher;
    this.#decoy = hasher.hash(generateSecret());
  }

  /** Registers a client; returns its view and the secret in clear (shown once). */
  create(input: NewClient): { client: ClientView; secret: string } {
    const id = input.id ?? `client-${randomUUID()}`;
    if (this.#clients.has(id)) throw new ClientRegistryError('client-exists', `client ${id} already exists`);
    const secret = input.secret ?? generateSecret();
    const registration = (this.#registrationCounts.get(id) ?? 0) + 1;
    this.#registrationCounts.set(id, registration);
    const client: StoredClient = {
      id,
      registration,
      name: input.name ?? id,
      tenants: input.tenants === '*' ? '*' : new Set(input.tenants.map((tenant) => tenant.toLowerCase())),
      secrets: [this.#newSecret(secret)],
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
    return { secretId: stored.id, secret };
  }

  revokeSecret(id: string, secretId: string): void {
    const client = this.#require(id);
    const index = client.secrets.findIndex((secret) => secret.id === secretId);
    if (index < 0) throw new ClientRegistryError('secret-not-found', `client ${id} has no secret ${secretId}`);
    if (client.secrets.length === 1) {
      throw new ClientRegistryError('last-secret', `secret ${secretId} is the last one of ${id}: rotate first, or delete the client`);
    }
    client.secrets.splice(index, 1);
  }

  /**
   * True when the id exists and the secret matches one of its live secrets. Every call does the same
   * work: exactly MAX_LIVE_SECRETS hash comparisons, against the client's live secrets and a decoy in
   * place of each one it lacks (all of them for an unknown id). So the time a token request takes
   * does not tell whether a client id exists, how many secrets it has, or which one matched.
   */
  authenticate(id: string, secret: string): boolean {
    const secrets = this.#clients.get(id)?.secrets ?? [];
    let matched = false;
    for (let slot = 0; slot < MAX_LIVE_SECRETS; slot++) {
      const stored = secrets[slot];
      const matches = this.#hasher.matches(secret, stored ?? this.#decoy);
      matched = (stored !== undefined && matches) || matched;
    }
    return matched;
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

  #require(id: string): StoredClient {
    const client = this.#clients.get(id);
    if (!client) throw new ClientRegistryError('client-not-found', `no client ${id}`);
    return client;
  }

  #newSecret(secret: string): StoredSecret {
    return { id: randomUUID(), createdAt: this.#clock.now(), ...this.#hasher.hash(secret) };
  }
}

function toView(client: StoredClient): ClientView {
  return {
    id: client.id,
    name: client.name,
    tenants: client.tenants === '*' ? '*' : [...client.tenants],
    secrets: client.secrets.map((secret) => ({ id: secret.id, createdAt: new Date(secret.createdAt).toISOString() })),
    createdAt: new Date(client.createdAt).toISOString(),
  };
}
