import { listen } from '../../src/http/listen.js';
import { ManualClock } from '../../src/lib/clock.js';
import type { ReportCard } from '../../src/report/reportCard.js';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import type { SimulatorSleep } from '../../src/simulator/simulatorContext.js';
import { simulateProfileClient } from '../../src/simulator/simulateProfileClient.js';
import { runCarelessClient } from './carelessClient.js';
import { DEMO_CLIENT, STU3_TENANT, testConfig } from './testSandbox.js';

// A run that does not reach the scenario's end in this much real time has stalled.
const REAL_TIME_LIMIT_MS = 90_000;

export type ClientKind = 'good' | 'careless';

/**
 * One client against a fresh sandbox under a built-in scenario, in virtual time: the sandbox runs on a
 * ManualClock that fires the scenario's steps, the client's waits and the fault layer's latency move
 * that clock instead of sleeping, and the client makes one request at a time. The same seed therefore
 * gives the same requests at the same (virtual) times, the same faults and the same report card.
 */
export async function reportUnderScenario(scenarioName: string, kind: ClientKind, seed = 7): Promise<{ report: ReportCard; sandbox: Sandbox }> {
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
  const sandbox = await createSandbox(testConfig({ seed }), {
    clock,
    timers: clock,
    faultSleep: async (ms) => clock.advance(ms),
    waitUntilSeeded: true,
  });
  const server = await listen(sandbox.app, 0, '127.0.0.1');
  try {
    const status = await sandbox.control.runScenario(scenarioName);
    const endsAt = Date.parse(status.endsAt);
    const stop = new AbortController();
    let reachedEnd: () => void = () => undefined;
    const over = new Promise<void>((resolve) => (reachedEnd = resolve));
    const sleep: SimulatorSleep = async (ms, signal) => {
      if (signal.aborted) throw signal.reason;
      clock.advance(ms);
      await sandbox.control.scenarioIdle();
      if (clock.now() >= endsAt) {
        // The client must make no request after the end: this wait ends only when the client is stopped.
        reachedEnd();
        stop.abort(new DOMException('the scenario is over', 'AbortError'));
        if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        throw signal.reason;
      }
    };
    const finished =
      kind === 'good'
        ? runGoodClient(sandbox, server.origin, sleep, stop.signal)
        : runCarelessClient({ origin: server.origin, client: DEMO_CLIENT, tenantId: STU3_TENANT, fhirVersion: 'stu3', sleep, signal: stop.signal });
    const stalled = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${kind} client under ${scenarioName} stalled at ${new Date(clock.now()).toISOString()}`)), REAL_TIME_LIMIT_MS).unref());
    await Promise.race([over, stalled]);
    await finished;
    return { report: sandbox.control.reportCard(), sandbox };
  } finally {
    await server.close(100);
  }
}

async function runGoodClient(sandbox: Sandbox, origin: string, sleep: SimulatorSleep, stop: AbortSignal): Promise<void> {
  const client = simulateProfileClient(sandbox, origin, { sleep });
  await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
  await client?.stop();
}
