import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/runCheck.js';
import type { CheckReport } from '../../src/check/checkReport.js';
import type { RequestFinishedEvent, SandboxEvent } from '../../src/events/types.js';
import { CHECKED_TENANT_PATIENTS, CHECKED_TENANTS, startCheckTarget, type CheckTarget } from './support/checkTarget.js';
import { reportValidator } from './support/reportSchema.js';

// Not served by the sandbox yet: the SMART discovery document (the check skips it when absent).
const SKIPPED_ON_THE_SANDBOX = ['discovery.smart-configuration'];

describe('check against the sandbox on its default behaviour', () => {
  let target: CheckTarget;
  const reports = new Map<string, CheckReport>();
  const seen: SandboxEvent[] = [];

  beforeAll(async () => {
    target = await startCheckTarget();
    target.sandbox.events.subscribe((event) => seen.push(event));
    for (const version of ['stu3', 'dstu2'] as const) reports.set(version, await runCheck(target.options(version)));
  });
  afterAll(() => target.close());

  it.each(['stu3', 'dstu2'])('%s: every check passes, none is a warning', (version) => {
    const report = reports.get(version) as CheckReport;
    const notPassed = report.checks.filter((check) => check.outcome !== 'passed').map((check) => `${check.id}: ${check.outcome}: ${check.detail}`);
    expect(notPassed).toEqual(SKIPPED_ON_THE_SANDBOX.map((id) => expect.stringMatching(new RegExp(`^${id.replace('.', '\\.')}: skipped: `))));
    expect(report.outcome).toBe('passed');
    expect(report.summary).toMatchObject({ failed: 0, warnings: 0, skipped: SKIPPED_ON_THE_SANDBOX.length, passed: report.checks.length - SKIPPED_ON_THE_SANDBOX.length });
    expect(report.target).toMatchObject({ fhirVersion: version, declaredFhirVersion: version === 'stu3' ? '3.0.1' : '1.0.2', tenant: CHECKED_TENANTS[version as 'stu3'] });
  });

  it.each(['stu3', 'dstu2'])("%s: the client's calls are checked verbatim, in the order a client meets them", (version) => {
    const report = reports.get(version) as CheckReport;
    const stages = report.checks.map((check) => check.stage);
    expect(stages).toEqual([...stages].sort((a, b) => order(a) - order(b)));
    const medication = version === 'dstu2' ? ['calls.search-medication-order'] : ['calls.search-medication-request'];
    expect(report.checks.map((check) => check.id)).toEqual(expect.arrayContaining(['calls.search-observation', 'calls.search-encounter', 'calls.search-coverage', ...medication]));
    const observation = report.checks.find((check) => check.id === 'calls.search-observation');
    const sort = version === 'dstu2' ? '_sort:desc=date' : '_sort=-date';
    expect(observation?.title).toBe(`GET Observation?patient=<id>&category=vital-signs&${sort}`);
    expect(observation?.request?.url).toMatch(new RegExp(`/fhir/${version}/Observation\\?patient=[^&]+&category=vital-signs&${sort.replace(/[:=]/g, (c) => `\\${c}`)}$`));
    const paging = report.checks.find((check) => check.id === 'calls.paging-total');
    expect(paging?.detail).toBe(`Bundle.total ${CHECKED_TENANT_PATIENTS + 2} = ${CHECKED_TENANT_PATIENTS + 2} entries over 6 pages`);
    const search = report.checks.find((check) => check.id === 'calls.patient-search');
    expect(search?.request).toMatchObject({ method: 'POST', body: '_count=20', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  });

  it.each(['stu3', 'dstu2'])('%s: the JSON report has the documented shape, and no secret in it', (version) => {
    const report = reports.get(version) as CheckReport;
    const validate = reportValidator();
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const text = JSON.stringify(report);
    expect(text).not.toContain('demo-secret-change-me');
    const formPost = report.checks.find((check) => check.id === 'token.form-post');
    expect(formPost?.request?.body).toContain('client_secret=<redacted>');
    const basic = report.checks.find((check) => check.id === 'token.basic-auth');
    expect(basic?.request?.headers.Authorization).toBe('Basic <redacted>');
    expect(report.timing.slowest).toHaveLength(5);
    expect(report.timing.calls).toBeGreaterThan(20);
  });

  it("the sandbox's event stream shows the check's traffic like any client's, under the tenant's id", () => {
    const requests = seen.filter((event): event is RequestFinishedEvent => event.type === 'request');
    for (const [version, tenant] of Object.entries(CHECKED_TENANTS)) {
      const routes = new Set(requests.filter((request) => request.tenantId === tenant).map((request) => `${request.method} ${request.route}`));
      expect(routes).toEqual(new Set(['POST /oauth2/token', 'POST /fhir/:version/:type/_search', 'GET /fhir/:version/:type/:id', 'GET /fhir/:version/:type', 'POST /fhir/:version']));
      expect(requests.some((request) => request.path === `/fhir/${version}/metadata`)).toBe(true);
    }
  });
});

function order(stage: string): number {
  return ['discovery', 'token', 'calls', 'data', 'http', 'timing'].indexOf(stage);
}
