import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/configError.js';
import type { SandboxConfig } from '../config/sandboxConfig.js';
import { FixtureError } from '../data/errors.js';
import { DbJsonError, readDbJson } from '../data/files/dbJson.js';
import { dbJsonPath, idReservationPath, readIdReservation, restoreStoreState } from '../data/files/storeFiles.js';
import type { FixturePatient } from '../data/fixtures/fixturePatient.js';
import { loadFixtures } from '../data/fixtures/loadFixtures.js';
import { generateTenantDataset } from '../data/generateTenantResources.js';
import type { TenantDataOptions } from '../data/tenantDataOptions.js';
import type { EventBus } from '../events/eventBus.js';
import type { ResourceStore } from '../fhir/store/resourceStore.js';
import type { Resource } from '../fhir/types.js';
import { validateResource } from '../fhir/validation/validateResource.js';
import type { Clock } from '../lib/clock.js';
import { packageRoot } from '../lib/packageRoot.js';
import { UpstreamError } from '../upstream/upstreamError.js';
import type { UpstreamTenant } from '../upstream/upstreamTenant.js';
import type { TenantDirectory, Tenant } from './tenantDirectory.js';
import { seedOnWorker } from './seedWorker/seedOnWorker.js';
import { connectUpstream, openUpstream, type UpstreamSetup } from './upstreamTenants.js';

export interface SeedOptions {
  seed: number;
  referenceDate: string;
  /** The profile file, for messages; fixture paths in it are relative to its folder. */
  profileFile: string;
  /** Fixture files per tenant id, as the profile lists them. */
  fixtures: ReadonlyMap<string, readonly string[]>;
  /** Start from `<dataDir>/<tenant id>/db.json` where it exists. */
  dataDir?: string | undefined;
  /** --record DIR and --mask, for upstream tenants. */
  recordDir?: string | undefined;
  mask?: boolean | undefined;
  events: EventBus;
  clock: Clock;
  /** Tenants generating at least this many patients are generated on a worker thread (default SEED_ON_WORKER_FROM). */
  workerFromPatients?: number | undefined;
}

/**
 * Where one tenant's records come from: its db.json (for an upstream tenant, a recording it replays),
 * generated patients after the profile's fixtures, or a real FHIR server it forwards to.
 */
type TenantSource =
  | { kind: 'file'; file: string }
  | { kind: 'generate'; fixtures: FixturePatient[] }
  | { kind: 'upstream'; upstream: UpstreamTenant; field: string };

/** Every tenant with its source, checked; seedTenants() carries it out. */
export interface SeedPlan {
  readonly tenants: ReadonlyArray<{ tenant: Tenant; source: TenantSource }>;
  readonly options: SeedOptions;
}

// Yield to the event loop this often so /healthz and the dashboard stay responsive while seeding.
const PATIENTS_PER_SLICE = 250;
const PROGRESS_STEPS = 20;
/**
 * Below this a worker's start (a thread, its own module graph: a few hundred ms of CPU) costs more
 * than it saves; the default profile's tenants stay on the main thread.
 */
export const SEED_ON_WORKER_FROM = 2_000;

/** Seed options as a profile and the run's flags state them. */
export function seedOptions(config: SandboxConfig, events: EventBus, clock: Clock): SeedOptions {
  return {
    seed: config.seed,
    referenceDate: config.profile.referenceDate,
    profileFile: config.profileFile,
    fixtures: new Map(config.profile.tenants.map((tenant) => [tenant.id.toLowerCase(), tenant.fixtures])),
    dataDir: config.dataDir,
    recordDir: config.recordDir,
    mask: config.mask,
    events,
    clock,
  };
}

/**
 * Reads and checks every fixture file before the first patient is generated, so a bad or missing one
 * stops the start with a ConfigError naming file and field, and each tenant's total (generated plus
 * fixtures) is known from the start: the banner, the admin API and the dashboard report the same count.
 */
export function planSeeding(tenants: TenantDirectory, options: SeedOptions): SeedPlan {
  const planned = tenants.list().map((tenant, index) => {
    const file = options.dataDir === undefined ? undefined : dbJsonPath(options.dataDir, tenant.id);
    if (file !== undefined && existsSync(file)) {
      tenant.dataFile = file;
      return { tenant, source: { kind: 'file', file } as const };
    }
    if (tenant.upstreamProfile !== undefined) {
      const upstream = openUpstream(tenant, tenant.upstreamProfile, upstreamSetup(options));
      return { tenant, source: { kind: 'upstream', upstream, field: `tenants[${index}].upstream` } as const };
    }
    const fixtures = tenantFixtures(tenant, `tenants[${index}].fixtures`, options);
    tenant.target = tenant.target + fixtures.length;
    return { tenant, source: { kind: 'generate', fixtures } as const };
  });
  return { tenants: planned, options };
}

/**
 * Fills every tenant's store as planned, one tenant after another, while upstream tenants check their
 * servers alongside; /healthz turns 200 after the last. An upstream that must not be started (another
 * FHIR version, refused credentials) is a configuration error naming the tenant's field.
 */
export async function seedTenants(plan: SeedPlan): Promise<void> {
  const { dataDir } = plan.options;
  const connecting = Promise.all(
    plan.tenants.flatMap(({ tenant, source }) => (source.kind === 'upstream' ? [connectPlanned(tenant, source.upstream, source.field, plan.options)] : [])),
  );
  // Awaited below, after the stores are filled; a refusal before then must not count as unhandled.
  connecting.catch(() => undefined);
  for (const { tenant, source } of plan.tenants) {
    if (source.kind === 'upstream') continue;
    if (dataDir !== undefined) honourIdReservation(tenant, idReservationPath(dataDir, tenant.id));
    if (source.kind === 'file') await loadTenant(tenant, source.file, plan.options);
    else await seedTenant(tenant, source.fixtures, plan.options);
  }
  await connecting;
}

/** The run's settings every upstream tenant shares, from the seed options. */
export function upstreamSetup(options: SeedOptions): UpstreamSetup {
  return {
    clock: options.clock,
    events: options.events,
    recordDir: options.recordDir,
    mask: options.mask ?? false,
    seed: options.seed,
    profileFile: options.profileFile,
  };
}

async function connectPlanned(tenant: Tenant, upstream: UpstreamTenant, field: string, options: SeedOptions): Promise<void> {
  try {
    await connectUpstream(tenant, upstream, upstreamSetup(options));
  } catch (error) {
    if (error instanceof UpstreamError) throw new ConfigError(options.profileFile, `${field}: ${error.message}`);
    throw error;
  }
}

function tenantFixtures(tenant: Tenant, field: string, options: SeedOptions): FixturePatient[] {
  const entries = options.fixtures.get(tenant.id) ?? [];
  const files = entries.flatMap((entry, index) => resolveFixture(entry, options.profileFile, `${field}[${index}]`));
  try {
    return loadFixtures(files).filter((fixture) => !fixture.fhirVersions || fixture.fhirVersions.includes(tenant.fhirVersion));
  } catch (error) {
    if (!(error instanceof FixtureError)) throw error;
    const where = error.field === '' ? '' : `${error.field}: `;
    throw new ConfigError(error.file, `${where}${error.reason} (a fixture listed by ${options.profileFile} in ${field})`);
  }
}

async function seedTenant(tenant: Tenant, fixtures: FixturePatient[], options: SeedOptions): Promise<void> {
  const progressEvery = Math.max(1, Math.ceil(tenant.target / PROGRESS_STEPS));
  const request: TenantDataOptions = {
    seed: options.seed,
    tenantId: tenant.id,
    providerName: tenant.hospital,
    fhirVersion: tenant.fhirVersion,
    patientCount: tenant.target - fixtures.length,
    fixtures,
    referenceDate: options.referenceDate,
  };
  const seeded = (patients: number): void => {
    const before = Math.floor(tenant.seeded / progressEvery);
    tenant.seeded += patients;
    if (Math.floor(tenant.seeded / progressEvery) > before && tenant.seeded < tenant.target) progress(tenant, options);
  };
  if (request.patientCount >= (options.workerFromPatients ?? SEED_ON_WORKER_FROM)) await seedOnWorker(tenant.store, request, seeded);
  else await seedHere(tenant.store, request, seeded);
  tenant.store.freeze();
  tenant.ready = true;
  progress(tenant, options);
}

/** Generates and stores on this thread, yielding to the event loop every PATIENTS_PER_SLICE patients. */
async function seedHere(store: ResourceStore, request: TenantDataOptions, seeded: (patients: number) => void): Promise<void> {
  let sinceYield = 0;
  for (const resources of generateTenantDataset(request)) {
    for (const resource of resources) store.add(resource);
    if (resources[0]?.resourceType !== 'Patient') continue;
    seeded(1);
    if (++sinceYield >= PATIENTS_PER_SLICE) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * A tenant from its db.json: exactly the records written there, edits and deletes included. A file
 * that is not JSON, or holds something its tenant's FHIR version does not define, is a
 * configuration error naming the file (and line, column or resource): it is never served, and
 * never written over.
 */
async function loadTenant(tenant: Tenant, file: string, options: SeedOptions): Promise<void> {
  tenant.seeded = 0;
  try {
    // Reading is streamed line by line for large files, so the event loop breathes while this runs.
    const state = await readDbJson(file, (resource, where) => {
      checkLoadedResource(tenant, resource, where, file);
      tenant.store.add(resource);
      if (resource.resourceType === 'Patient') tenant.seeded++;
    });
    if (state !== undefined) {
      for (const [index, entry] of state.deleted.entries()) {
        if (!tenant.store.adapter.resourceTypes.includes(entry.resourceType)) {
          throw new ConfigError(file, `_sandbox.deleted[${index}]: ${describeUnknownType(tenant, entry.resourceType)}`);
        }
      }
      restoreStoreState(tenant.store, state);
    }
  } catch (error) {
    if (error instanceof DbJsonError) throw new ConfigError(error.location, error.reason);
    throw error;
  }
  tenant.store.freeze();
  tenant.target = tenant.seeded;
  tenant.ready = true;
  progress(tenant, options);
}

/** Ids a previous --persist run may have handed out are never assigned again. */
function honourIdReservation(tenant: Tenant, file: string): void {
  try {
    const reserved = readIdReservation(file);
    if (reserved !== undefined) tenant.store.advanceIdCounter(reserved);
  } catch (error) {
    if (error instanceof DbJsonError) throw new ConfigError(error.location, error.reason);
    throw error;
  }
}

/** A resource the tenant's FHIR server could not have written: refused before it is stored. */
function checkLoadedResource(tenant: Tenant, resource: Resource, where: string, file: string): void {
  const type = resource.resourceType;
  if (!tenant.store.adapter.resourceTypes.includes(type)) throw new ConfigError(file, `${where}: ${describeUnknownType(tenant, type)}`);
  const name = typeof resource.id === 'string' ? `${type}/${resource.id}` : `a ${type}`;
  // Too-deep nesting is reported as an issue (the validator never recurses past its depth limit).
  const issues = validateResource(tenant.fhirVersion, resource);
  const first = issues[0];
  if (first === undefined) return;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new ConfigError(file, `${where}: ${name} is not a valid ${tenant.fhirVersion.toUpperCase()} resource: ${first.path}: ${first.message}${more}`);
}

function describeUnknownType(tenant: Tenant, type: string): string {
  return `"${type}" is not a resource type this ${tenant.fhirVersion.toUpperCase()} tenant serves (${tenant.store.adapter.resourceTypes.join(', ')})`;
}

function progress(tenant: Tenant, options: SeedOptions): void {
  options.events.emit({ type: 'seed-progress', at: options.clock.now(), tenantId: tenant.id, done: tenant.seeded, total: tenant.target });
}

/**
 * A plain name ("patients") is a file or folder in the package's seed/; anything with a slash or
 * ending in .json is a path relative to the profile. A folder means every *.json file in it, sorted.
 */
function resolveFixture(entry: string, profileFile: string, field: string): string[] {
  const isName = !entry.includes('/') && !entry.includes('\\') && !entry.endsWith('.json');
  const seedDir = path.join(packageRoot, 'seed');
  const candidates = isName ? [path.join(seedDir, entry), path.join(seedDir, `${entry}.json`)] : [path.resolve(path.dirname(profileFile), entry)];
  const target = candidates.find((candidate) => existsSync(candidate));
  if (target === undefined) {
    throw new ConfigError(profileFile, `${field}: fixture "${entry}" not found (looked for ${candidates.join(' and ')})`);
  }
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(target, name));
}
