import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestFinishedEvent, SandboxEvent, SimulatorEvent } from '../../src/events/types.js';
import { listen, type RunningServer } from '../../src/http/listen.js';
import { ManualClock } from '../../src/lib/clock.js';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { SIMULATED_BACKEND_CLIENT_ID } from '../../src/simulator/backendServicesClient.js';
import { simulateDemoClients } from '../../src/simulator/simulateDemoClients.js';
import { realSleep, type SimulatorSleep } from '../../src/simulator/simulatorContext.js';
import { DEMO_CLIENT, R4_TENANT, testConfig } from '../support/testSandbox.js';

const TUNING = { paceMs: { min: 20, max: 40 }, retry: { attempts: 3, baseMs: 5, maxMs: 20, maxRetryAfterMs: 2000 }, cooldownMs: 50 };
const EXPORT_TIMEOUT_MS = 20_000;

describe('--simulate-client: a SMART backend-services client (R4) beside the secret client', () => {
  let sandbox: Sandbox;
  let server: RunningServer;
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
  const seen: SandboxEvent[] = [];

  beforeAll(async () => {
    // Export slices paced on real timers, so the job is still running at the first poll and the client must wait.
    const slowSlices = { recordsPerSlice: 10, yieldToLoop: () => new Promise<void>((resolve) => setTimeout(resolve, 20)) };
    sandbox = await createSandbox(testConfig(), { clock, waitUntilSeeded: true, bulkExport: slowSlices });
    server = await listen(sandbox.app, 0, '127.0.0.1');
    sandbox.events.subscribe((event) => seen.push(event));
  });

  afterAll(async () => {
    await server.close(100);
  });

  it('registers its key, gets tokens by private_key_jwt with system scopes, loads pages and exports (kick-off, polls as Retry-After says, downloads, deletes), all 2xx', async () => {
    const waits: number[] = [];
    const sleep: SimulatorSleep = (ms, signal) => {
      waits.push(ms);
      return realSleep(ms, signal);
    };
    // What the backend client sent to the token endpoint and got back, read off the wire; and every request sent.
    const tokenExchanges: Array<{ form: URLSearchParams; scope: unknown }> = [];
    let sent = 0;
    const recordingFetch: typeof globalThis.fetch = async (input, init) => {
      sent++;
      const response = await globalThis.fetch(input, init);
      const form = init?.body instanceof URLSearchParams ? init.body : undefined;
      if (String(input).endsWith('/oauth2/token') && form?.has('client_assertion')) {
        tokenExchanges.push({ form, scope: ((await response.clone().json()) as { scope?: unknown }).scope });
      }
      return response;
    };
    const nextExport = () =>
      new Promise<SimulatorEvent>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no export within ${EXPORT_TIMEOUT_MS} ms: ${JSON.stringify(seen.filter((event) => event.type === 'simulator'))}`)), EXPORT_TIMEOUT_MS);
        const unsubscribe = sandbox.events.subscribe((event) => {
          if (event.type !== 'simulator' || event.action !== 'export-done') return;
          clearTimeout(timer);
          unsubscribe();
          resolve(event);
        });
      });
    const clients = simulateDemoClients(sandbox, server.origin, { ...TUNING, sleep, fetch: recordingFetch });
    const done = await nextExport();
    // Periodic: the next export comes once five minutes have passed on the sandbox clock.
    clock.advance(5 * 60_000);
    await nextExport();
    await clients?.stop();
    const sentAtStop = sent;

    expect(done.tenantId).toBe(R4_TENANT);
    expect(done.message).toMatch(/^exported \d+ resources in \d+ files in \d+ms \(Patient \d+, Observation \d+, .*\); files deleted$/);
    expect(seen.some((event) => event.type === 'simulator' && event.action === 'export-started' && event.message === 'kicked off Patient/$export; polling its status')).toBe(true);

    // Registered at run time through the control plane: public key only, R4 tenants, system/*.rs.
    const registered = sandbox.control.listClients().find((listed) => listed.id === SIMULATED_BACKEND_CLIENT_ID);
    expect(registered).toMatchObject({ tenants: [R4_TENANT], scopes: ['system/*.rs'], authMethods: ['private_key_jwt'], secrets: [] });
    expect(registered?.keys).toEqual([expect.objectContaining({ alg: 'ES384', jwk: expect.not.objectContaining({ d: expect.anything() }) })]);

    // A signed assertion, no secret, and the system scope asked for and granted beside the tenant.
    expect(tokenExchanges.length).toBeGreaterThan(0);
    for (const { form, scope } of tokenExchanges) {
      expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      expect(form.has('client_secret')).toBe(false);
      expect(form.get('scope')).toBe(`${R4_TENANT} system/*.rs`);
      expect(scope).toBe(`${R4_TENANT} system/*.rs`);
    }

    const requests = seen.filter((event): event is RequestFinishedEvent => event.type === 'request');
    const backend = requests.filter((request) => request.clientId === SIMULATED_BACKEND_CLIENT_ID);
    const steps = backend.map((request) => `${request.method} ${request.route} ${request.status}`);
    expect(steps).toEqual(expect.arrayContaining(['POST /oauth2/token 200', 'POST /fhir/:version/:type/_search 200', 'GET /fhir/:version/:type/:id 200', 'POST /fhir/:version 200']));
    const exportSteps = steps.filter((step) => step.includes('$export'));
    expect(exportSteps.filter((step) => step.startsWith('GET /fhir/:version/:type/$export'))).toHaveLength(2);
    expect(exportSteps.slice(0, 2)).toEqual(['GET /fhir/:version/:type/$export 202', 'GET /fhir/:version/$export-status/:job 202']);
    expect(exportSteps).toContain('GET /fhir/:version/$export-status/:job 200');
    expect(exportSteps).toContain('GET /fhir/:version/$export-file/:job/:file 200');
    expect(exportSteps.at(-1)).toBe('DELETE /fhir/:version/$export-status/:job 202');
    expect(backend.filter((request) => request.tenantId !== R4_TENANT || request.status >= 300)).toEqual([]);
    // The running job's 202 said Retry-After: 1, and the client waited exactly that long before polling again.
    expect(backend.find((request) => request.route.endsWith('$export-status/:job') && request.status === 202)?.retryAfterSeconds).toBe(1);
    expect(waits).toContain(1000);
    expect(sandbox.exports.size).toBe(0);

    // The secret client ran beside it, as before.
    expect(requests.some((request) => request.clientId === DEMO_CLIENT.id && request.status === 200)).toBe(true);
    // Stopped means stopped: nothing is sent afterwards.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent).toBe(sentAtStop);
  });
});
