import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorEvent, RequestFinishedEvent, SandboxEvent } from '../../src/events/types.js';
import { listen, type RunningServer } from '../../src/http/listen.js';
import { ManualClock } from '../../src/lib/clock.js';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import type { RunningSimulatedClient } from '../../src/simulator/simulatedClient.js';
import { simulateProfileClient } from '../../src/simulator/simulateProfileClient.js';
import { DSTU2_TENANT, R4_TENANT, STU3_OTHER_TENANT, STU3_TENANT, testConfig } from '../support/testSandbox.js';

// Fast enough for a test, still paced: the client waits 20–40 ms between page loads, 5–20 ms between retries
// (Retry-After as the server says, up to 2 s), 50 ms after giving a page load up.
const TUNING = { paceMs: { min: 20, max: 40 }, retry: { attempts: 3, baseMs: 5, maxMs: 20, maxRetryAfterMs: 2000 }, cooldownMs: 50 };
const EVENT_TIMEOUT_MS = 8000;

describe('simulated client against a real sandbox over loopback HTTP', () => {
  let sandbox: Sandbox;
  let server: RunningServer;
  let clock: ManualClock;
  let seen: SandboxEvent[];
  let client: RunningSimulatedClient | undefined;

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    sandbox = await createSandbox(testConfig(), { clock, waitUntilSeeded: true });
    server = await listen(sandbox.app, 0, '127.0.0.1');
    seen = [];
    sandbox.events.subscribe((event) => seen.push(event));
  });

  afterEach(async () => {
    await client?.stop();
    client = undefined;
    sandbox.control.clearFaultRules();
    sandbox.control.setTokenLifetime(3600);
    seen.length = 0;
  });

  afterAll(async () => {
    await server.close(100);
  });

  /** Resolves with the first event (past or future) that matches; fails after a bounded wait. */
  function waitFor<T extends SandboxEvent>(accept: (event: SandboxEvent) => event is T, from = 0): Promise<T> {
    const past = seen.slice(from).find(accept);
    if (past !== undefined) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`no matching event within ${EVENT_TIMEOUT_MS}ms; simulator said:\n${simulatorLines().join('\n')}`));
      }, EVENT_TIMEOUT_MS);
      const unsubscribe = sandbox.events.subscribe((event) => {
        if (!accept(event)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(event);
      });
    });
  }
  const simulator = (action: SimulatorEvent['action'], tenantId?: string) => (event: SandboxEvent): event is SimulatorEvent =>
    event.type === 'simulator' && event.action === action && (tenantId === undefined || event.tenantId === tenantId);
  const simulatorLines = () => seen.filter((event): event is SimulatorEvent => event.type === 'simulator').map((e) => `${e.action} ${e.tenantId ?? ''} ${e.message}`);

  it("replays the reference client's page load on every tenant in turn: metadata, token, search, read, batch", async () => {
    client = simulateProfileClient(sandbox, server.origin, TUNING);
    for (const tenant of [STU3_TENANT, STU3_OTHER_TENANT, DSTU2_TENANT, R4_TENANT]) {
      const loaded = await waitFor(simulator('page-loaded', tenant));
      // The log line names the patient the page opened, as the app's title would.
      expect(loaded.message).toMatch(/^opened [A-Z][\w'-]* [A-Z][\w' -]* \(Patient\/\S+\) in \d+ms \(6\/6 batch entries ok\)$/);
    }
    const requests = seen.filter((event): event is RequestFinishedEvent => event.type === 'request');
    const stu3 = requests.filter((request) => request.tenantId === STU3_TENANT || request.path === '/fhir/stu3/metadata');
    expect(stu3.slice(0, 6).map((request) => `${request.method} ${request.route} ${request.status}`)).toEqual([
      'GET /fhir/:version/metadata 200',
      'POST /oauth2/token 200',
      'POST /fhir/:version/:type/_search 200',
      // The list is scrolled: the next link, as given.
      'GET /fhir/:version/:type 200',
      'GET /fhir/:version/:type/:id 200',
      'POST /fhir/:version 200',
    ]);
    expect(requests.some((request) => request.path.startsWith('/fhir/dstu2/Patient/') && request.tenantId === DSTU2_TENANT)).toBe(true);
    expect(requests.some((request) => request.path === '/fhir/r4' && request.method === 'POST' && request.tenantId === R4_TENANT)).toBe(true);
    expect(requests.filter((request) => request.status >= 400)).toEqual([]);
  });

  it('after the token lifetime drops to a few seconds, refreshes its token when it expires and carries on', async () => {
    sandbox.control.setTokenLifetime(3);
    client = simulateProfileClient(sandbox, server.origin, TUNING);
    const first = await waitFor(simulator('token-fetched', STU3_TENANT));
    expect(first.message).toBe('got a token for 3s');
    await waitFor(simulator('page-loaded', STU3_TENANT));
    clock.advance(4000);
    const refreshed = await waitFor(simulator('token-refreshed', STU3_TENANT));
    expect(refreshed.message).toBe('token refreshed (it expired); new one lives 3s');
    const mark = seen.indexOf(refreshed);
    await waitFor(simulator('page-loaded', STU3_TENANT), mark);
    const refused = seen.slice(mark).filter((event) => event.type === 'request' && event.status === 401);
    expect(refused).toEqual([]);
  });

  it('refreshes when the gateway refuses its token (401 invalid_token) and repeats the call', async () => {
    client = simulateProfileClient(sandbox, server.origin, TUNING);
    await waitFor(simulator('page-loaded', DSTU2_TENANT));
    const mark = seen.length;
    sandbox.control.expireAllTokens();
    const refreshed = await waitFor(simulator('token-refreshed'), mark);
    expect(refreshed.message).toMatch(/^token refreshed \(refused: .+\); new one lives 3600s$/);
    expect(seen.slice(mark).some((event) => event.type === 'request' && event.status === 401)).toBe(true);
    await waitFor(simulator('page-loaded', refreshed.tenantId), seen.indexOf(refreshed));
  });

  it('retries 503s with backoff, gives the page load up when they persist, and recovers when the fault goes', async () => {
    sandbox.control.addFaultRule({ name: 'test-outage', match: { tenantId: STU3_TENANT, interaction: 'search' }, effect: { error: { status: 503, retryAfterSeconds: 1 } } });
    client = simulateProfileClient(sandbox, server.origin, TUNING);
    const retry = await waitFor(simulator('retry', STU3_TENANT));
    // Retry-After: 1 is honoured to the second, never shortened.
    expect(retry.message).toBe('POST Patient/_search: HTTP 503; retry 1/2 in 1000ms');
    const gaveUp = await waitFor(simulator('gave-up', STU3_TENANT));
    expect(gaveUp.message).toBe('gave up this page load: POST Patient/_search: HTTP 503 after 3 tries');
    // The other tenants are not affected.
    await waitFor(simulator('page-loaded', STU3_OTHER_TENANT));
    sandbox.control.removeFaultRule('test-outage');
    await waitFor(simulator('page-loaded', STU3_TENANT), seen.length);
  });

  it('retries a connection reset like the reference client, and carries on once it stops', async () => {
    sandbox.control.addFaultRule({ name: 'test-reset', match: { tenantId: DSTU2_TENANT, interaction: 'read' }, effect: { transport: { kind: 'reset' } } });
    client = simulateProfileClient(sandbox, server.origin, TUNING);
    const retry = await waitFor(simulator('retry', DSTU2_TENANT));
    expect(retry.message).toMatch(/^GET Patient\/\S+: ECONNRESET; retry 1\/2 in \d+ms$/);
    sandbox.control.removeFaultRule('test-reset');
    await waitFor(simulator('page-loaded', DSTU2_TENANT), seen.indexOf(retry));
  });

  it('stops at once: no request after stop() resolves', async () => {
    const running = simulateProfileClient(sandbox, server.origin, { ...TUNING, paceMs: { min: 0, max: 0 } });
    await waitFor(simulator('page-loaded'));
    await running?.stop();
    const count = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.slice(count)).toEqual([]);
    expect(seen.some((event) => event.type === 'simulator' && event.action === 'stopped')).toBe(true);
  });
});
