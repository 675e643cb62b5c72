import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseGenerator } from '../../src/bench/fuzz/caseGenerator.js';
import { runFuzz } from '../../src/bench/fuzz/runFuzz.js';
import { robustnessProfile } from '../../src/bench/robustnessProfile.js';
import { startSandboxProcess, type SandboxProcess } from '../../src/bench/sandboxProcess.js';

/**
 * A short run of the fuzzer (scripts/fuzz.mjs runs the long one) against the built CLI on a real
 * port. It leaves out the kinds of request that work on other branches fixes, and tolerates one
 * known finding; each is named with the item of issue 9 that fixes it, to be tightened after merge.
 */
const NOT_YET = [
  'deep-nesting', // 13: nesting depth bounded at the door (500 today, and poisons raw-record listings)
  'content-encoding', // 15: a broken Content-Encoding is a 400
  'fhir-raw-url', // 16: a clientError handler answers bad request lines with a body
  'records-malformed-json', // 6: raw-record errors are JSON 4xx
  'records-duplicate-id', // 6: idem
  'admin-path-spelling', // 1: one case-insensitive decision for /admin
];
// 6/17 (admin errors as JSON): @koa/router's allowedMethods answers 405 in plain text.
const TOLERATED = new Set(['admin 405 is not JSON']);

describe('fuzzer (short run)', () => {
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    sandbox = await startSandboxProcess({ profile: robustnessProfile(10) });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('sends every route family random and mutated requests: no crash, no hang, no 5xx but injected faults, FHIR 4xx are OperationOutcomes', async () => {
    const report = await runFuzz({ origin: sandbox.origin, requests: 1_500, seed: 20260101, concurrency: 4, skipKinds: NOT_YET, alive: () => sandbox.exitCode === undefined });
    expect(report.crashed).toBe(false);
    expect(report.hangs).toBe(0);
    expect(report.serverErrors).toBe(0);
    expect(report.findings.filter((finding) => !TOLERATED.has(finding.reason))).toEqual([]);
    for (const family of ['fhir', 'token', 'admin', 'records', 'framing']) expect(report.byFamily[family] ?? 0).toBeGreaterThan(20);
    // It did reach the FHIR core and the stores, not only the doors.
    for (const status of ['200', '201', '400', '404', '422']) expect(report.byStatus[status] ?? 0).toBeGreaterThan(0);
    expect(sandbox.exitCode).toBeUndefined();
  }, 60_000);

  it('names every kind it can leave out', () => {
    for (const kind of NOT_YET) expect(CaseGenerator.kinds()).toContain(kind);
  });
});
