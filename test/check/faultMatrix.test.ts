/**
 * The fault-to-check matrix: each fault the sandbox can inject, applied through the admin API as a
 * user would, breaks exactly the checks listed beside it, by id, and no others.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CheckOptions } from '../../src/check/checkOptions.js';
import { runCheck } from '../../src/check/runCheck.js';
import { STU3_OTHER_TENANT, STU3_TENANT } from '../support/testSandbox.js';
import { CHECKED_TENANTS, startCheckTarget, type CheckTarget, type CheckedVersion } from './support/checkTarget.js';

interface MatrixRow {
  fault: string;
  apply(target: CheckTarget, version: CheckedVersion): Promise<void>;
  breaks: string[];
  options?: (target: CheckTarget, version: CheckedVersion) => Partial<CheckOptions>;
}

// The versions whose tenants the matrix runs on: the contract's STU3 and the R4 that succeeds it.
const MATRIX_VERSIONS: readonly CheckedVersion[] = ['stu3', 'r4'];

const rule = (name: string, match: object, effect: object) => (target: CheckTarget) => target.admin('POST', 'faults', { name, match, effect });

const MATRIX: MatrixRow[] = [
  {
    fault: 'broken next link (the next page 404s)',
    apply: rule('matrix/next-404', { interaction: 'search' }, { response: { kind: 'broken-next-link', mode: 'not-found' } }),
    breaks: ['calls.paging-next-links'],
  },
  {
    fault: 'total mismatch (Bundle.total off by 3)',
    apply: rule('matrix/total', { interaction: 'search' }, { response: { kind: 'total-mismatch', delta: 3 } }),
    breaks: ['calls.paging-total'],
  },
  {
    fault: 'malformed JSON (Condition searches)',
    apply: rule('matrix/malformed', { interaction: 'search', resourceType: 'Condition' }, { response: { kind: 'malformed-json' } }),
    breaks: ['calls.search-condition', 'http.json-answers'],
  },
  {
    fault: 'wrong content type, an HTML page (Condition searches)',
    apply: rule('matrix/html', { interaction: 'search', resourceType: 'Condition' }, { response: { kind: 'wrong-content-type' } }),
    breaks: ['calls.search-condition', 'http.json-answers', 'http.content-type'],
  },
  {
    fault: 'wrong content type, JSON labelled application/json',
    apply: rule('matrix/label', { interaction: 'search' }, { response: { kind: 'wrong-content-type', contentType: 'application/json', replaceBody: false } }),
    breaks: ['http.content-type'],
  },
  {
    fault: '503 on one tenant (tenant-outage preset)',
    apply: (target, version) => target.admin('POST', 'faults/presets/tenant-outage', { tenantId: CHECKED_TENANTS[version] }),
    breaks: ['calls.patient-search'],
  },
  {
    fault: 'token route down (503 on the token endpoint)',
    apply: rule('matrix/token-down', { interaction: 'token' }, { error: { status: 503, retryAfterSeconds: 1 } }),
    breaks: ['token.basic-auth', 'token.form-post'],
  },
  {
    fault: 'short token lifetime (30 s)',
    apply: (target) => target.admin('PATCH', 'tokens/policy', { lifetimeSeconds: 30 }),
    breaks: ['token.lifetime'],
  },
  {
    fault: '429 throttling (Coverage searches)',
    apply: rule('matrix/throttle', { interaction: 'search', resourceType: 'Coverage' }, { error: { status: 429, retryAfterSeconds: 2 } }),
    breaks: ['calls.search-coverage'],
  },
  {
    fault: 'truncated answers (Location reads)',
    apply: rule('matrix/truncate', { interaction: 'read', resourceType: 'Location' }, { transport: { kind: 'truncate' } }),
    breaks: ['data.references-resolve'],
  },
  {
    fault: 'an answer that never comes (Condition searches hang; --timeout 0.5 s)',
    apply: rule('matrix/hang', { interaction: 'search', resourceType: 'Condition' }, { transport: { kind: 'hang', maxMs: 5000 } }),
    breaks: ['calls.search-condition'],
    options: () => ({ timeoutMs: 500 }),
  },
  {
    fault: 'truncated metadata: the partner answers, then the body breaks off',
    apply: rule('matrix/truncate-metadata', { interaction: 'metadata' }, { transport: { kind: 'truncate' } }),
    // A metadata rule reaches .well-known/smart-configuration too (both are what a client reads first).
    breaks: ['discovery.metadata', 'discovery.smart-configuration'],
    // What a user passes when metadata is unreadable, so the rest of the run still happens.
    options: (target, version) => ({ version, tokenUrl: `${target.server.origin}/oauth2/token` }),
  },
  {
    fault: 'a slow batch (300 ms; thresholds 250 ms)',
    apply: rule('matrix/slow-batch', { interaction: 'batch' }, { latency: { distribution: 'fixed', ms: 300 } }),
    breaks: ['timing.slow-calls', 'timing.page-load'],
    options: () => ({ slowCallMs: 250, pageLoadMs: 250 }),
  },
];

describe('fault-to-check matrix (STU3 and R4 tenants, faults posted through the admin API)', () => {
  let target: CheckTarget;

  beforeAll(async () => {
    target = await startCheckTarget();
  });
  afterEach(async () => {
    await target.admin('DELETE', 'faults');
    await target.admin('PATCH', 'tokens/policy', { lifetimeSeconds: 3600 });
  });
  afterAll(() => target.close());

  it.each(MATRIX_VERSIONS.flatMap((version) => MATRIX.map((row) => [version, row.fault, row] as const)))('%s: %s', async (version, _fault, row) => {
    await row.apply(target, version);
    const report = await runCheck(target.options(version, row.options?.(target, version)));
    const broken = report.checks.filter((check) => check.outcome === 'failed').map((check) => check.id);
    expect(broken.sort(), report.checks.filter((check) => check.outcome === 'failed').map((check) => `${check.id}: ${check.detail}`).join('\n')).toEqual([...row.breaks].sort());
    const required = report.checks.filter((check) => row.breaks.includes(check.id) && check.level === 'required');
    expect(report.outcome).toBe(required.length > 0 ? 'failed' : 'passed');
  });

  it('an outage of one tenant leaves a check of another tenant untouched', async () => {
    await target.admin('POST', 'faults/presets/tenant-outage', { tenantId: STU3_TENANT });
    const report = await runCheck(target.options('stu3', { tenant: STU3_OTHER_TENANT }));
    expect(report.checks.filter((check) => check.outcome === 'failed')).toEqual([]);
  });

  it('the calm preset after a fault: every check passes again', async () => {
    await target.admin('POST', 'faults/presets/broken-paging');
    await target.admin('POST', 'faults/presets/calm');
    const report = await runCheck(target.options('stu3'));
    expect(report.summary).toMatchObject({ failed: 0, warnings: 0 });
  });

  it('a failed check says which request decided it and what came back', async () => {
    await MATRIX[0]?.apply(target, 'stu3');
    const report = await runCheck(target.options('stu3'));
    const paging = report.checks.find((check) => check.id === 'calls.paging-next-links');
    expect(paging).toMatchObject({ level: 'required', outcome: 'failed', request: { method: 'GET' }, response: { status: 404, contentType: 'application/fhir+json; charset=utf-8' } });
    expect(paging?.detail).toMatch(/^page 2 \(GET http:\/\/127\.0\.0\.1:\d+\/fhir\/stu3\/Patient\?.*\): HTTP 404: This page of search results does not exist or has expired\.$/);
    expect(paging?.response?.body).toContain('"resourceType":"OperationOutcome"');
    const total = report.checks.find((check) => check.id === 'calls.paging-total');
    expect(total).toMatchObject({ outcome: 'skipped', detail: 'the pages were not all read (calls.paging-next-links)' });
  });
});
