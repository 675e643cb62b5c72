import { render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import { AuthService } from '../../src/auth/authService.js';
import { parseProfile } from '../../src/config/loadProfile.js';
import { ControlPlane } from '../../src/control/controlPlane.js';
import { ActivityLog } from '../../src/dashboard/activityLog.js';
import { Dashboard } from '../../src/dashboard/Dashboard.js';
import type { DashboardInfo } from '../../src/dashboard/dashboardInfo.js';
import { ColourContext } from '../../src/dashboard/palette.js';
import { TrafficStats } from '../../src/dashboard/trafficStats.js';
import { EventBus } from '../../src/events/eventBus.js';
import { RequestLog } from '../../src/events/requestLog.js';
import type { RequestFinishedEvent } from '../../src/events/types.js';
import { FaultEngine } from '../../src/faults/FaultEngine.js';
import { ManualClock } from '../../src/lib/clock.js';
import { TenantDirectory } from '../../src/tenants/tenantDirectory.js';

export const NORTHSIDE = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';
export const RIVERSIDE = '7a1c9d42-2e3f-4b5a-8c6d-1e2f3a4b5c60';
export const LAKEVIEW = 'c4d5e6f7-8a9b-4c0d-9e1f-2a3b4c5d6e70';
export const DEMO_SECRET = 'demo-secret-change-me';

/** A real control plane (auth, tenants, faults, request log) on a manual clock, without HTTP. */
export async function controlFixture() {
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
  const events = new EventBus();
  const profile = parseProfile(
    {
      name: 'dash-test',
      seed: 7,
      tenants: [
        { id: NORTHSIDE, name: 'Northside', hospital: 'St. Mary (STU3)', fhirVersion: 'stu3', patients: 2 },
        { id: RIVERSIDE, name: 'Riverside', hospital: 'Riverside (STU3)', fhirVersion: 'stu3', patients: 1 },
        { id: LAKEVIEW, name: 'Lakeview', hospital: 'Lakeview (DSTU2)', fhirVersion: 'dstu2', patients: 1 },
      ],
      clients: [{ id: 'demo-client', secret: DEMO_SECRET, tenants: '*' }],
    },
    'dashboard test profile',
  );
  const tenants = new TenantDirectory(profile.tenants, clock);
  for (const tenant of tenants.list()) {
    tenant.store.add({ resourceType: 'Patient', id: `${tenant.name.toLowerCase()}-1` });
    tenant.ready = true;
  }
  const auth = await AuthService.create({
    clock,
    events,
    issuer: 'urn:test:partner',
    audience: 'urn:test:gateway',
    tokenLifetimeSeconds: 3600,
    strict: false,
    tenantExists: (id) => tenants.has(id),
  });
  auth.clients.create({ id: 'demo-client', secret: DEMO_SECRET, tenants: '*' });
  const faults = new FaultEngine({ seed: 7, events, clock });
  const requestLog = new RequestLog(events);
  const control = new ControlPlane({ auth, tenants, faults, requestLog, events, clock, timers: clock, exposeFaultHeader: true });
  const issueToken = (tenantId: string) =>
    auth.requestToken({ grant_type: 'client_credentials', client_id: 'demo-client', client_secret: DEMO_SECRET, scope: tenantId }, undefined);
  return { clock, events, auth, tenants, faults, requestLog, control, issueToken };
}

export type ControlFixture = Awaited<ReturnType<typeof controlFixture>>;

export function requestEvent(clock: ManualClock, fields: Partial<RequestFinishedEvent> = {}): RequestFinishedEvent {
  return {
    type: 'request',
    at: clock.now(),
    requestId: 'r',
    method: 'GET',
    route: '/fhir/:version/:type/:id',
    path: '/fhir/stu3/Patient/northside-1',
    status: 200,
    ms: 12,
    tenantId: NORTHSIDE,
    ...fields,
  };
}

const INFO: DashboardInfo = {
  version: '0.1.0',
  profileName: 'dash-test',
  origin: 'http://127.0.0.1:8080',
  fhirVersions: ['dstu2', 'stu3'],
  demoClient: { id: 'demo-client', secret: DEMO_SECRET },
  simulating: false,
  startedAt: Date.UTC(2026, 0, 15, 9),
};

// The dashboard redraws on this tick; tests wait for frames instead of sleeping.
const TEST_REFRESH_MS = 10;
const FRAME_TIMEOUT_MS = 10_000;

/** The dashboard on ink-testing-library's terminal (100 columns), with frames returned without ANSI codes. */
export function renderDashboard(fixture: ControlFixture, options: { colours?: boolean; info?: Partial<DashboardInfo> } = {}) {
  const stats = new TrafficStats(fixture.events, fixture.clock);
  const activity = new ActivityLog(fixture.events);
  const quits: number[] = [];
  const instance = render(
    <ColourContext.Provider value={options.colours ?? true}>
      <Dashboard
        control={fixture.control}
        stats={stats}
        activity={activity}
        info={{ ...INFO, ...options.info }}
        clock={fixture.clock}
        refreshMs={TEST_REFRESH_MS}
        onQuit={() => quits.push(fixture.clock.now())}
      />
    </ColourContext.Provider>,
  );
  const frame = () => stripVTControlCharacters(instance.lastFrame() ?? '');
  /** Resolves with the first frame `accept` likes; fails with the last frame after FRAME_TIMEOUT_MS. */
  const waitForFrame = async (accept: (frame: string) => boolean): Promise<string> => {
    const deadline = Date.now() + FRAME_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const current = frame();
      if (accept(current)) return current;
      await new Promise((resolve) => setTimeout(resolve, TEST_REFRESH_MS));
    }
    throw new Error(`no matching frame within ${FRAME_TIMEOUT_MS}ms; last frame:\n${frame()}`);
  };
  /** Sends keys as a terminal would, giving Ink's input handler a turn after each. */
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      instance.stdin.write(key);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  return { instance, stats, activity, quits, frame, waitForFrame, press };
}

export const KEYS = { up: '\u001b[A', down: '\u001b[B', tab: '\t', enter: '\r', space: ' ' };
