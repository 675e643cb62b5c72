import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { TenantProfile } from '../config/profileSchema.js';
import type { EventBus } from '../events/eventBus.js';
import type { Clock } from '../lib/clock.js';
import { Recording } from '../upstream/recording/recording.js';
import { UpstreamError } from '../upstream/upstreamError.js';
import type { UpstreamProfile } from '../upstream/upstreamSettings.js';
import { UpstreamTenant } from '../upstream/upstreamTenant.js';
import { TenantChangeError } from './tenantChangeError.js';
import type { Tenant, TenantDirectory } from './tenantDirectory.js';

/** What every upstream tenant of a run shares: the clock, where warnings go, and the run's recording flags. */
export interface UpstreamSetup {
  clock: Clock;
  events: EventBus;
  /** --record DIR: record every upstream tenant there (a tenant's own `record` folder wins). */
  recordDir?: string | undefined;
  /** --mask: mask every recording. */
  mask: boolean;
  /** The run's seed: masking is deterministic for it. */
  seed: number;
  /** A tenant's `record` folder is relative to its profile file. */
  profileFile: string;
}

// Long enough not to hammer a server that is starting, short enough that the sandbox is ready soon after it.
const RETRY_MS = 2_000;
// Recordings are written this long after the last new resource (and at shutdown).
const RECORDING_WRITE_DELAY_MS = 1_000;

/** The tenant's connection to its upstream, recording if the run or the profile asks; attached to the tenant. */
export function openUpstream(tenant: Tenant, profile: UpstreamProfile, setup: UpstreamSetup): UpstreamTenant {
  const recordDir = profile.record !== undefined ? path.resolve(path.dirname(setup.profileFile), profile.record) : setup.recordDir;
  const recording =
    recordDir === undefined
      ? undefined
      : new Recording({
          dir: recordDir,
          tenantId: tenant.id,
          fhirVersion: tenant.fhirVersion,
          upstreamBase: profile.baseUrl,
          maskSeed: (profile.mask ?? setup.mask) ? setup.seed : undefined,
          clock: setup.clock,
          warn: (message) => setup.events.emit({ type: 'warning', at: setup.clock.now(), message }),
          writeDelayMs: RECORDING_WRITE_DELAY_MS,
        });
  tenant.upstream = new UpstreamTenant({
    tenantId: tenant.id,
    name: tenant.hospital,
    fhirVersion: tenant.fhirVersion,
    readOnly: tenant.readOnly,
    connection: profile,
    clock: setup.clock,
    recording,
  });
  return tenant.upstream;
}

/**
 * Checks the upstream's FHIR version, then marks the tenant ready. An upstream that cannot be reached
 * (yet) is tried again every few seconds, the tenant answering 503 meanwhile; one that speaks another
 * version, refuses the credentials or is no FHIR server throws: the tenant must not start.
 */
export async function connectUpstream(tenant: Tenant, upstream: UpstreamTenant, setup: UpstreamSetup): Promise<void> {
  let waiting = false;
  for (;;) {
    try {
      return await connectOnce(tenant, upstream, setup);
    } catch (error) {
      if (!(error instanceof UpstreamError) || !error.transient) throw error;
      if (!waiting) {
        const message = `tenant ${tenant.id} (${tenant.name}) waits for its upstream: ${error.message}; trying again every ${RETRY_MS / 1000} s`;
        setup.events.emit({ type: 'upstream', at: setup.clock.now(), tenantId: tenant.id, state: 'waiting', message });
      }
      waiting = true;
      await delay(RETRY_MS, undefined, { ref: false });
    }
  }
}

/** One attempt: checks the upstream's FHIR version and marks the tenant ready, or throws its UpstreamError. */
export async function connectOnce(tenant: Tenant, upstream: UpstreamTenant, setup: UpstreamSetup): Promise<void> {
  const capability = await upstream.connect();
  tenant.ready = true;
  const release = String(capability['fhirVersion']);
  setup.events.emit({ type: 'upstream', at: setup.clock.now(), tenantId: tenant.id, state: 'connected', message: `tenant ${tenant.id} (${tenant.name}) is served by ${upstream.baseUrl} (FHIR ${release})` });
}

/**
 * Adds an upstream tenant while the sandbox runs (admin API): it is served once its upstream has
 * answered with the right FHIR version; if it does not, the tenant is not added at all.
 */
export async function addUpstreamTenant(tenants: TenantDirectory, profile: TenantProfile & { upstream: UpstreamProfile }, setup: UpstreamSetup): Promise<Tenant> {
  if (tenants.has(profile.id)) throw new TenantChangeError('tenant-exists', `a tenant ${profile.id.toLowerCase()} exists already`);
  const tenant = tenants.add(profile);
  const upstream = openUpstream(tenant, profile.upstream, setup);
  try {
    await connectOnce(tenant, upstream, setup);
    return tenant;
  } catch (error) {
    tenants.remove(tenant.id);
    await closeUpstream(upstream);
    if (!(error instanceof UpstreamError)) throw error;
    throw new TenantChangeError(error.transient ? 'upstream-unreachable' : 'upstream-refused', `tenant ${tenant.id} not added: ${error.message}`);
  }
}

/** Removes an upstream tenant (admin API): its recording is written, its connections closed; its tokens stop working. */
export async function removeUpstreamTenant(tenants: TenantDirectory, id: string, setup: UpstreamSetup): Promise<void> {
  const tenant = tenants.get(id);
  if (tenant === undefined) throw new TenantChangeError('tenant-not-found', `no tenant ${id}`);
  if (tenant.upstreamProfile === undefined) throw new TenantChangeError('tenant-not-upstream', `tenant ${tenant.id} (${tenant.name}) is generated from the profile; only upstream tenants can be removed`);
  tenants.remove(tenant.id);
  if (tenant.upstream !== undefined) await closeUpstream(tenant.upstream);
  setup.events.emit({ type: 'upstream', at: setup.clock.now(), tenantId: tenant.id, state: 'removed', message: `tenant ${tenant.id} (${tenant.name}) removed; it was served by ${tenant.upstreamProfile.baseUrl}` });
}

/** Writes every recording and closes the upstream connections: at shutdown. */
export async function closeUpstreams(tenants: TenantDirectory): Promise<void> {
  await Promise.all(tenants.list().map((tenant) => (tenant.upstream === undefined ? undefined : closeUpstream(tenant.upstream))));
}

export async function closeUpstream(upstream: UpstreamTenant): Promise<void> {
  await upstream.options.recording?.flush();
  await upstream.close();
}
