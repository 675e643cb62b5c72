import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/runCheck.js';
import type { CheckReport } from '../../src/check/checkReport.js';
import type { RequestFinishedEvent, SandboxEvent } from '../../src/events/types.js';
import { CHECKED_TENANT_PATIENTS, CHECKED_TENANTS, startCheckTarget, type CheckTarget, type CheckedVersion } from './support/checkTarget.js';
import { reportValidator } from './support/reportSchema.js';

/** What each gateway declares, and how many example patients its tenant's fixtures add (R4 holds all three). */
const SERVED: Readonly<Record<CheckedVersion, { declared: string; examplePatients: number }>> = {
  stu3: { declared: '3.0.1', examplePatients: 2 },
  dstu2: { declared: '1.0.2', examplePatients: 2 },
  r4: { declared: '4.0.1', examplePatients: 3 },
};
const VERSIONS = Object.keys(SERVED) as CheckedVersion[];

describe('check against the sandbox on its default behaviour', () => {
  let target: CheckTarget;
  const reports = new Map<string, CheckReport>();
  const seen: SandboxEvent[] = [];

  beforeAll(async () => {
    target = await startCheckTarget();
    target.sandbox.events.subscribe((event) => seen.push(event));
    for (const version of VERSIONS) reports.set(version, await runCheck(target.options(version)));
  });
  afterAll(() => target.close());

  it.each(VERSIONS)('%s: every check passes, none is a warning', (version) => {
    const report = reports.get(version) as CheckReport;
    const notPassed = report.checks.filter((check) => check.outcome !== 'passed').map((check) => `${check.id}: ${check.outcome}: ${check.detail}`);
    // The sandbox serves everything the checker looks at, SMART discovery included: nothing is skipped.
    expect(notPassed).toEqual([]);
    expect(report.outcome).toBe('passed');
    expect(report.summary).toMatchObject({ failed: 0, warnings: 0, skipped: 0, passed: report.checks.length });
    expect(report.target).toMatchObject({ fhirVersion: version, declaredFhirVersion: SERVED[version].declared, tenant: CHECKED_TENANTS[version] });
    expect(report.checks.find((check) => check.id === 'data.valid-resources')?.detail).toMatch(new RegExp(`^\\d+ bodies valid ${version.toUpperCase()}$`));
  });

  it('r4: SMART-on-FHIR in security.service counts as OAuth, and R4 shapes carry the fields the client needs', () => {
    const report = reports.get('r4') as CheckReport;
    const detail = (id: string) => report.checks.find((check) => check.id === id)?.detail;
    expect(detail('discovery.security-service')).toBe('security.service is SMART-on-FHIR');
    expect(detail('discovery.resource-type')).toBe('CapabilityStatement, as R4 names it');
    expect(report.checks.find((check) => check.id === 'data.medication-request-fields')?.reason).toBe('MedicationRequest: medication display or text, authoredOn, requester.display.');
    expect(report.checks.find((check) => check.id === 'data.coverage-fields')?.outcome).toBe('passed');
  });

  it.each(VERSIONS)("%s: the client's calls are checked verbatim, in the order a client meets them", (version) => {
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
    const patients = CHECKED_TENANT_PATIENTS + SERVED[version].examplePatients;
    expect(paging?.detail).toBe(`Bundle.total ${patients} = ${patients} entries over 6 pages`);
    const search = report.checks.find((check) => check.id === 'calls.patient-search');
    expect(search?.request).toMatchObject({ method: 'POST', body: '_count=20', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  });

  it.each(VERSIONS)('%s: the JSON report has the documented shape, and no secret in it', (version) => {
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

describe('choosing the patient, and a run longer than a token lives', () => {
  let target: CheckTarget;

  beforeAll(async () => {
    target = await startCheckTarget();
  });
  afterAll(async () => {
    await target.admin('PATCH', 'tokens/policy', { lifetimeSeconds: 3600 });
    await target.close();
  });

  it.each([
    ['stu3', 'family=black&given=ruth', 'ruth-black', 'family=black&given=ruth&_count=20'],
    ['dstu2', 'family=chau&given=hugh', 'hugh-chau', 'family:contains=chau&given=hugh&_count=20'],
    ['r4', 'family=chau&given=hugh', 'hugh-chau', 'family=chau&given=hugh&_count=20'],
  ] as const)('%s: --search %s is sent as that version\'s client sends it and picks %s', async (version, search, patientId, sent) => {
    const report = await runCheck(target.options(version, { search }));
    expect(report.target.patientId).toBe(patientId);
    const patientSearch = report.checks.find((check) => check.id === 'calls.patient-search');
    expect(patientSearch?.request?.body).toBe(sent);
    expect(report.summary).toMatchObject({ failed: 0, warnings: 0 });
  });

  it('--patient reads that patient and searches it by _id', async () => {
    const report = await runCheck(target.options('dstu2', { patientId: 'hugh-chau' }));
    expect(report.target.patientId).toBe('hugh-chau');
    expect(report.checks.find((check) => check.id === 'calls.patient-search')?.request?.body).toBe('_id=hugh-chau&_count=20');
    expect(report.checks.find((check) => check.id === 'calls.patient-read')?.detail).toBe('HTTP 200: Patient/hugh-chau');
    expect(report.summary).toMatchObject({ failed: 0, warnings: 0 });
  });

  it('--patient naming nobody fails the search and the read, and says so', async () => {
    const report = await runCheck(target.options('stu3', { patientId: 'no-such-patient' }));
    const failed = report.checks.filter((check) => check.outcome === 'failed');
    expect(failed.map((check) => `${check.id}: ${check.detail}`)).toEqual([
      'calls.patient-search: Patient/no-such-patient is not among the 0 patients returned',
      expect.stringMatching(/^calls\.patient-read: HTTP 404: /),
    ]);
  });

  it('fetches a new token before the one it holds runs out, as a careful client does', async () => {
    await target.admin('PATCH', 'tokens/policy', { lifetimeSeconds: 90 });
    // Every reading of the checker's clock is 40 s after the last: a token lasts two readings or so.
    let now = Date.UTC(2026, 0, 15, 9);
    const steppingClock = { now: () => (now += 40_000) };
    const requests: RequestFinishedEvent[] = [];
    const unsubscribe = target.sandbox.events.subscribe((event) => {
      if (event.type === 'request') requests.push(event);
    });
    const report = await runCheck(target.options('stu3', { clock: steppingClock, slowCallMs: 3_600_000, pageLoadMs: 3_600_000 }));
    unsubscribe();
    expect(report.checks.filter((check) => check.outcome === 'failed')).toEqual([]);
    // Three token requests belong to the token checks; the rest are refreshes between FHIR calls.
    const tokenRequests = requests.filter((request) => request.route === '/oauth2/token' && request.status === 200);
    expect(tokenRequests.length).toBeGreaterThan(10);
    // Only the deliberate ones: the wrong secret and the tampered token.
    expect(requests.filter((request) => request.status === 401).map((request) => request.path)).toEqual(['/oauth2/token', '/fhir/stu3/Patient']);
  });
});
