import type Koa from 'koa';
import { AuthService } from './auth/authService.js';
import { ConfigError } from './config/configError.js';
import { DEFAULT_CORS_ORIGINS } from './config/corsOrigins.js';
import type { SandboxConfig } from './config/sandboxConfig.js';
import { ControlPlane } from './control/controlPlane.js';
import { EventBus } from './events/eventBus.js';
import { RequestLog } from './events/requestLog.js';
import { FaultError } from './faults/errors.js';
import { FaultEngine } from './faults/FaultEngine.js';
import { ExportJobs, type ExportSettings } from './fhir/export/exportJobs.js';
import { createHttpApp } from './http/app.js';
import type { SandboxState } from './http/httpState.js';
import { systemClock, type Clock } from './lib/clock.js';
import { packageVersion } from './lib/packageRoot.js';
import { persistTenants, type Persistence } from './tenants/persistTenants.js';
import { planSeeding, seedOptions, seedTenants } from './tenants/seedTenants.js';
import { TenantDirectory } from './tenants/tenantDirectory.js';

export interface SandboxOptions {
  clock?: Clock;
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
  });
  for (const client of config.profile.clients) {
    auth.clients.create({ id: client.id, name: client.name, secret: client.secret, tenants: client.tenants });
  }
  const faults = new FaultEngine({ seed: config.seed, events, clock, tenantExists: (id) => tenants.has(id) });
  const control = new ControlPlane({ auth, tenants, faults, requestLog, events, clock, exposeFaultHeader: config.profile.faults.exposeHeader });
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
    softwareVersion: version,
    cors: config.cors ?? DEFAULT_CORS_ORIGINS,
    frontDoor: { profileName: config.profile.name, demoClient: demoClientOf(config) },
    exports,
  });

  // Planned before the first byte is served: a bad fixture stops the start, and every tenant's total is known.
  const seeded = seedTenants(planSeeding(tenants, seedOptions(config, events, clock)));
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


/** The first profile client is the one the banner, dashboard and front page offer for copy and paste. */
function demoClientOf(config: SandboxConfig): { id: string; secret: string } | undefined {
  const first = config.profile.clients[0];
  return first === undefined ? undefined : { id: first.id, secret: first.secret };
}
