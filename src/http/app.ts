import Koa, { type Middleware } from 'koa';
import type { AuthService } from '../auth/authService.js';
import type { CorsOrigins } from '../config/corsOrigins.js';
import type { ControlPlane } from '../control/controlPlane.js';
import type { EventBus } from '../events/eventBus.js';
import type { FaultEngine } from '../faults/FaultEngine.js';
import type { ExportJobs } from '../fhir/export/exportJobs.js';
import type { Clock } from '../lib/clock.js';
import type { TenantDirectory } from '../tenants/tenantDirectory.js';
import { adminPlane } from './adminPlane.js';
import { corsMiddleware } from './cors.js';
import { answerReadsFirst, fastRead } from './fastRead.js';
import { answerTokensFirst, fastToken } from './fastToken.js';
import { faultMiddleware, type Sleep } from './faultMiddleware.js';
import { frontDoor } from './frontDoor.js';
import type { FrontDoorFacts } from './frontDoorInfo.js';
import { gateway } from './gateway.js';
import { healthRouter } from './healthRouter.js';
import type { SandboxState } from './httpState.js';
import { oauthRouter } from './oauthRouter.js';
import { requestIds } from './requestIds.js';
import { requestLifecycle } from './requestLifecycle.js';
import { tokenEndpoint } from './tokenEndpoint.js';

export interface HttpAppOptions {
  auth: AuthService;
  tenants: TenantDirectory;
  faults: FaultEngine;
  control: ControlPlane;
  events: EventBus;
  clock: Clock;
  publicBaseUrl: string | undefined;
  adminKey: string | undefined;
  /** Host names besides loopback and the public URL's that the admin API answers to (--allowed-hosts). */
  allowedHosts?: readonly string[] | undefined;
  /** Name the fault rule in an X-Sandbox-Fault header; read per request so it can change at run time. */
  exposeFaultHeader: () => boolean;
  /** Upper bound for "hang" faults. */
  maxHangMs: number;
  /** How faults wait; real timers unless a test says otherwise. */
  faultSleep?: Sleep;
  softwareVersion: string;
  /** Browser origins allowed on the public endpoints; the admin API never answers cross-origin. */
  cors: CorsOrigins;
  /** The profile name and demo client the front page (`GET /`) shows. */
  frontDoor: Pick<FrontDoorFacts, 'profileName' | 'demoClient'>;
  /** Bulk Data exports, shared by every app built over the same tenants. */
  exports: ExportJobs;
  /** False builds the same app with the fault layer removed: the benchmark's yardstick for its idle cost. */
  faultLayer?: boolean;
  /** False leaves every request to Koa, the authenticated read included: the fast read's equivalence test and A/B compare with it. */
  fastRead?: boolean;
  /** False leaves token requests to Koa too: the fast token path's equivalence test and A/B compare with it. */
  fastToken?: boolean;
}

/**
 * The one Koa app: lifecycle (timing, errors, events) outermost, then the gateway, the admin plane and the other routes.
 * Its request listener answers a plain authenticated read (fastRead) and a plain token request (fastToken) itself first, and hands everything else to Koa.
 */
export function createHttpApp(options: HttpAppOptions): Koa<SandboxState> {
  const app = new Koa<SandboxState>();
  // Errors are written by requestLifecycle; Koa's own logger would print client mistakes as crashes.
  app.silent = true;
  const faults: Middleware<SandboxState> =
    options.faultLayer === false
      ? (_ctx, next) => next()
      : faultMiddleware(options.faults, { exposeHeader: options.exposeFaultHeader, maxHangMs: options.maxHangMs, sleep: options.faultSleep });

  const faultsIdle = options.faultLayer === false ? () => true : () => options.faults.idle;
  const nextRequestId = requestIds();
  const routers = [oauthRouter(options.auth), healthRouter(options.tenants)];

  app.use(requestLifecycle(options.events, options.clock, nextRequestId));
  app.use(corsMiddleware(options.cors));
  app.use(tokenEndpoint(options.auth, faults, options.publicBaseUrl));
  // The FHIR gateway carries nearly all traffic, so it comes before the routers.
  app.use(
    gateway({
      auth: options.auth,
      tenants: options.tenants,
      clock: options.clock,
      faults,
      faultsIdle,
      publicBaseUrl: options.publicBaseUrl,
      softwareVersion: options.softwareVersion,
      exports: options.exports,
    }),
  );
  app.use(frontDoor({ ...options.frontDoor, softwareVersion: options.softwareVersion, adminKeyRequired: options.adminKey !== undefined }, options.control, options.tenants, options.publicBaseUrl));
  app.use(
    adminPlane({
      control: options.control,
      tenants: options.tenants,
      events: options.events,
      adminKey: options.adminKey,
      allowedHosts: options.allowedHosts ?? [],
      publicBaseUrl: options.publicBaseUrl,
    }),
  );
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  if (options.fastToken !== false) answerTokensFirst(app, fastToken({ auth: options.auth, faultsIdle, events: options.events, clock: options.clock, cors: options.cors, nextRequestId }));
  if (options.fastRead !== false) {
    const { auth, tenants, events, clock, publicBaseUrl, cors } = options;
    answerReadsFirst(app, fastRead({ auth, tenants, faultsIdle, events, clock, publicBaseUrl, cors, nextRequestId }));
  }
  return app;
}
