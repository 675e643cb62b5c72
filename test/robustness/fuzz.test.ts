import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzz } from '../../src/bench/fuzz/runFuzz.js';
import { robustnessProfile } from '../../src/bench/robustnessProfile.js';
import { startSandboxProcess, type SandboxProcess } from '../../src/bench/sandboxProcess.js';

/**
 * A short run of the fuzzer (scripts/fuzz.mjs runs the long one) against the built CLI on a real
 * port, over every kind of request it can make: no kind is left out and no finding is tolerated.
 */
describe('fuzzer (short run)', () => {
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    sandbox = await startSandboxProcess({ profile: robustnessProfile(10) });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('sends every route family random and mutated requests: no crash, no hang, no 5xx but injected faults, FHIR 4xx are OperationOutcomes', async () => {
    const report = await runFuzz({ origin: sandbox.origin, requests: 1_500, seed: 20260101, concurrency: 4, alive: () => sandbox.exitCode === undefined });
    expect(report.crashed).toBe(false);
    expect(report.hangs).toBe(0);
    expect(report.serverErrors).toBe(0);
    expect(report.findings).toEqual([]);
    for (const family of ['fhir', 'token', 'admin', 'records', 'framing']) expect(report.byFamily[family] ?? 0).toBeGreaterThan(20);
    // It did reach the FHIR core and the stores, not only the doors.
    for (const status of ['200', '201', '400', '404', '422']) expect(report.byStatus[status] ?? 0).toBeGreaterThan(0);
    expect(sandbox.exitCode).toBeUndefined();
  }, 60_000);
});
