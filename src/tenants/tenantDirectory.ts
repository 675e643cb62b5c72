import type { TenantProfile } from '../config/profileSchema.js';
import { ResourceStore } from '../fhir/store/resourceStore.js';
import type { FhirVersion } from '../fhir/types.js';
import { adapterFor } from '../fhir/versions/index.js';
import type { Clock } from '../lib/clock.js';
import type { UpstreamTenant } from '../upstream/upstreamTenant.js';
import type { UpstreamProfile } from '../upstream/upstreamSettings.js';

/** One customer of the partner and the hospital FHIR server its requests are routed to. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly hospital: string;
  readonly fhirVersion: FhirVersion;
  readonly readOnly: boolean;
  /** The hospital server's data. */
  readonly store: ResourceStore;
  /** Patients seeded so far, and how many the profile asks for (fixtures included). */
  seeded: number;
  target: number;
  ready: boolean;
  /** The db.json its records are loaded from (--data); its patient count is known once loaded. */
  dataFile?: string;
  /** With --persist: whether its edits are on disk; undefined without --persist. */
  save: SaveStatus | undefined;
  /** The real FHIR server the tenant is declared to be served by (profile or admin API); undefined for a generated tenant. */
  readonly upstreamProfile: UpstreamProfile | undefined;
  /**
   * The connection to that server while the tenant is served by it; its store stays empty then. Set
   * when the tenant is planned, unless --data holds a recording of it: then it replays from its store.
   */
  upstream: UpstreamTenant | undefined;
}

/** A persisted tenant's state on disk, as /healthz and the dashboard show it. */
export interface SaveStatus {
  readonly file: string;
  /** Edits made since the last successful write (a write may be scheduled or failing). */
  unsaved: boolean;
  /** Epoch ms of the last successful write; undefined before the first. */
  savedAt: number | undefined;
  /** While writes fail: the last error, since when, and how many attempts failed in a row. */
  failing: { error: string; since: number; attempts: number } | undefined;
}

/** Tenant ID (GUID, compared case-insensitively) → tenant. */
export class TenantDirectory {
  readonly #byId = new Map<string, Tenant>();

  readonly #clock: Clock;

  constructor(tenants: readonly TenantProfile[], clock: Clock) {
    this.#clock = clock;
    for (const profile of tenants) this.add(profile);
  }

  /** Adds a tenant (not ready until it is seeded or connected); the id must not be taken. */
  add(profile: TenantProfile): Tenant {
    const id = profile.id.toLowerCase();
    if (this.#byId.has(id)) throw new TypeError(`TenantDirectory: tenant ${id} exists already`);
    const tenant: Tenant = {
      id,
      name: profile.name,
      hospital: profile.hospital,
      fhirVersion: profile.fhirVersion,
      readOnly: profile.readOnly,
      store: new ResourceStore(adapterFor(profile.fhirVersion), this.#clock),
      seeded: 0,
      target: profile.patients ?? 0,
      ready: false,
      save: undefined,
      upstreamProfile: profile.upstream,
      upstream: undefined,
    };
    this.#byId.set(id, tenant);
    return tenant;
  }

  /** Removes a tenant; tokens naming it stop working (the gateway finds no tenant). */
  remove(id: string): boolean {
    return this.#byId.delete(id.toLowerCase());
  }

  get(id: string): Tenant | undefined {
    return this.#byId.get(id.toLowerCase());
  }

  has(id: string): boolean {
    return this.#byId.has(id.toLowerCase());
  }

  list(): Tenant[] {
    return [...this.#byId.values()];
  }

  get allReady(): boolean {
    for (const tenant of this.#byId.values()) if (!tenant.ready) return false;
    return true;
  }
}
