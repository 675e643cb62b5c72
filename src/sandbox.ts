import type Koa from 'koa';
import { AuthService } from './auth/authService.js';
import { ClientRegistryError } from './auth/clientRegistry.js';
import { ConfigError } from './config/configError.js';
import { DEFAULT_CORS_ORIGINS } from './config/corsOrigins.js';
import { demoClientOf } from './config/demoClient.js';
import type { SandboxConfig } from './config/sandboxConfig.js';
import { ControlPlane } from './control/controlPlane.js';
import { EventBus } from './events/eventBus.js';
import { RequestLog } from './events/requestLog.js';
import { FaultError } from './faults/errors.js';
import { FaultEngine } from './faults/FaultEngine.js';
import { ExportJobs, type ExportSettings } from './fhir/export/exportJobs.js';
import { adapterFor } from './fhir/versions/index.js';
import { createHttpApp } from './http/app.js';
import type { SandboxState } from './http/httpState.js';
import type { Sleep } from './http/faultMiddleware.js';
import { systemClock, type Clock, type Timers } from './lib/clock.js';
import { packageVersion } from './lib/packageRoot.js';
import { persistTenants, type Persistence } from './tenants/persistTenants.js';
import { planSeeding, seedOptions, seedTenants, upstreamSetup } from './tenants/seedTenants.js';
import { TenantDirectory } from './tenants/tenantDirectory.js';

export interface SandboxOptions {
  clock?: Clock;
  /** When scenario steps fire; a test on a ManualClock passes the clock itself. */
  timers?: Timers;
  /** How the fault layer waits (latency, hangs); a test on a ManualClock may move the clock instead. */
  faultSleep?: Sleep;
  /** Wait for every tenant to be seeded before resolving (tests); the CLI listens first and seeds after. */
  waitUntilSeeded?: boolean;
  /** Bulk Data export settings (file size, expiry, pacing) other than the defaults; for tests. */
  bulkExport?: Partial<ExportSettings>;
}

/** Everything one running sandbox is made of; the composition root wires it once. */
export interface Sandbox {
  readonly config: SandboxConfig;
  readonly version: string;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly auth: AuthService;
  readonly tenants: TenantDirectory;
  readonly faults: FaultEngine;
  readonly control: ControlPlane;
  readonly requestLog: RequestLog;
  readonly exports: ExportJobs;
  readonly app: Koa<SandboxState>;
  /** Settles when every tenant holds its data. */
  readonly seeded: Promise<void>;
  /** With --persist: writes edits back to the data folder; flush before exiting. */
  readonly persistence: Persistence | undefined;
}

// Longest a "hang" fault keeps a connection open before dropping it.
const MAX_HANG_MS = 120_000;

export async function createSandbox(config: SandboxConfig, options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? systemClock;
  const version = packageVersion();
  const events = new EventBus();
  const requestLog = new RequestLog(events);
  const tenants = new TenantDirectory(config.profile.tenants, clock);
  const { oauth } = config.profile;
  const auth = await AuthService.create({
    clock,
    events,
    issuer: oauth.issuer,
    audience: oauth.audience,
    tokenLifetimeSeconds: oauth.tokenLifetimeSeconds,
    clockSkewSeconds: oauth.clockSkewSeconds,
    strict: config.strictOAuth,
    signingKeyFile: config.signingKeyFile,
    tenantExists: (id) => tenants.has(id),
    servedTypes: (id) => {
      const tenant = tenants.get(id);
      return tenant && adapterFor(tenant.fhirVersion).resourceTypes;
    },
    jwksLimits: oauth.jwksFetch,
  });
  registerProfileClients(config, auth);
  const seeding = seedOptions(config, events, clock);
  const faults = new FaultEngine({ seed: config.seed, events, clock, tenantExists: (id) => tenants.has(id) });
  const control = new ControlPlane({
    auth,
    tenants,
    faults,
    requestLog,
    events,
    clock,
    exposeFaultHeader: config.profile.faults.exposeHeader,
    timers: options.timers,
    scenarios: config.profile.scenarios,
    report: config.profile.report,
    publicHost: config.publicBaseUrl === undefined ? undefined : new URL(config.publicBaseUrl).host,
    upstreamSetup: upstreamSetup(seeding),
  });
  applyProfileFaults(config, control);
  const exports = new ExportJobs(clock, options.bulkExport);

  const app = createHttpApp({
    auth,
    tenants,
    faults,
    control,
    events,
    clock,
    publicBaseUrl: config.publicBaseUrl,
    adminKey: config.adminKey,
    allowedHosts: config.allowedHosts,
    exposeFaultHeader: () => control.faultHeaderExposed,
    maxHangMs: MAX_HANG_MS,
    faultSleep: options.faultSleep,
    softwareVersion: version,
    cors: config.cors ?? DEFAULT_CORS_ORIGINS,
    frontDoor: { profileName: config.profile.name, demoClient: demoClient(config) },
    exports,
  });

  // Planned before the first byte is served: a bad fixture stops the start, and every tenant's total is known.
  const seeded = seedTenants(planSeeding(tenants, seeding));
  const persistence = config.persist && config.dataDir ? persistTenants(tenants, config.dataDir, seeded, events, clock) : undefined;
  if (options.waitUntilSeeded) await seeded;
  return { config, version, clock, events, auth, tenants, faults, control, requestLog, exports, app, seeded, persistence };
}

/** Presets and rules from the profile; a bad one is a profile error that names the file and field. */
function applyProfileFaults(config: SandboxConfig, control: ControlPlane): void {
  const { presets, rules } = config.profile.faults;
  const attempt = (field: string, apply: () => unknown) => {
    try {
      apply();
    } catch (error) {
      if (error instanceof FaultError) throw new ConfigError(config.profileFile, `${field}: ${error.message}`);
      throw error;
    }
  };
  presets.forEach((preset, index) => attempt(`faults.presets[${index}]`, () => control.applyFaultPreset(preset)));
  rules.forEach((rule, index) => attempt(`faults.rules[${index}]`, () => control.addFaultRule(rule)));
}

/** The profile's clients; a key the registry refuses is a profile error that names the client. */
function registerProfileClients(config: SandboxConfig, auth: AuthService): void {
  config.profile.clients.forEach(({ jwks, ...client }, index) => {
    try {
      auth.clients.create({ ...client, keys: jwks?.keys });
    } catch (error) {
      if (error instanceof ClientRegistryError) throw new ConfigError(config.profileFile, `clients[${index}]: ${error.message}`);
      throw error;
    }
  });
}

/** The client the front page offers for copy and paste. */
function demoClient(config: SandboxConfig): { id: string; secret: string } | undefined {
  const client = demoClientOf(config.profile);
  return client && { id: client.id, secret: client.secret };
}
