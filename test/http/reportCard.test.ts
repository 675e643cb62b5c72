import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestFinishedEvent } from '../../src/events/types.js';
import { listen, type RunningServer } from '../../src/http/listen.js';
import { CRITERION_IDS } from '../../src/report/criteria.js';
import type { ReportCard } from '../../src/report/reportCard.js';
import { DSTU2_TENANT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

const FHIR_JSON = 'application/fhir+json';

describe('GET /admin/report', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });

  it('grades the traffic per client in the documented shape', async () => {
    await sandbox.http.delete('/admin/report');
    const token = await sandbox.token(STU3_TENANT);
    const search = await sandbox.http.post('/fhir/stu3/Patient/_search').set('Authorization', `Bearer ${token}`).set('Accept', FHIR_JSON).type('form').send({ _count: '2' });
    expect(search.status).toBe(200);
    const next = (search.body as { link: Array<{ relation: string; url: string }> }).link.find((link) => link.relation === 'next')?.url as string;
    const page = await sandbox.http.get(new URL(next).pathname + new URL(next).search).set('Authorization', `Bearer ${token}`).set('Accept', FHIR_JSON);
    expect(page.status).toBe(200);
    // Its own offset, in its own order: not the link as given.
    await sandbox.http.get('/fhir/stu3/Patient?_offset=4&_count=2').set('Authorization', `Bearer ${token}`).set('Accept', FHIR_JSON);

    const response = await sandbox.http.get('/admin/report');
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/json');
    const report = response.body as ReportCard;
    expect(Object.keys(report).sort()).toEqual(['clients', 'droppedRequests', 'failures', 'generatedAt', 'passed', 'required', 'scenario', 'since'].sort());
    expect(report.required).toEqual(['token-reuse', 'token-refresh', 'expiry-foresight', 'retry-after', 'backoff', 'paging', 'correctness']);
    expect(report.clients).toHaveLength(1);
    const client = report.clients[0]!;
    expect(client).toMatchObject({ clientId: 'demo-client', requests: 4, passed: false });
    expect(client.criteria.map((criterion) => criterion.id)).toEqual([...CRITERION_IDS]);
    for (const criterion of client.criteria) {
      expect(Object.keys(criterion).sort()).toEqual(['evidence', 'id', 'required', 'result', 'summary', 'title']);
      expect(['pass', 'fail', 'not-observed']).toContain(criterion.result);
    }
    const paging = client.criteria.find((criterion) => criterion.id === 'paging')!;
    expect(paging.result).toBe('fail');
    expect(paging.evidence).toEqual([{ requestId: expect.stringMatching(/^r[0-9a-z]+$/), at: new Date(sandbox.clock.now()).toISOString(), note: expect.stringContaining('/fhir/stu3/Patient?_offset=4&_count=2: no next link led here') }]);
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual([{ clientId: 'demo-client', criterion: 'paging', summary: '1 page request(s) not from a next link as given' }]);

    // The same report as JUnit XML: a suite per client, a test case per criterion, the failure as <failure>.
    const xml = await sandbox.http.get('/admin/report?format=junit');
    expect(xml.status).toBe(200);
    expect(xml.type).toBe('application/xml');
    expect(XMLValidator.validate(xml.text)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml.text) as {
      testsuites: { tests: string; failures: string; testsuite: Array<{ name: string; tests: string; failures: string; testcase: Array<{ name: string; classname: string; failure?: { message: string }; skipped?: { message: string } }> }> };
    };
    expect(parsed.testsuites).toMatchObject({ tests: '9', failures: '1' });
    const suite = parsed.testsuites.testsuite[0]!;
    expect(suite).toMatchObject({ name: 'patients-sandbox report card: demo-client', tests: '9', failures: '1' });
    const pagingCase = suite.testcase.find((testCase) => testCase.name.startsWith('paging: '))!;
    expect(pagingCase.classname).toBe('patients-sandbox.demo-client');
    expect(pagingCase.failure?.message).toBe('1 page request(s) not from a next link as given');
    expect(suite.testcase.find((testCase) => testCase.name.startsWith('timeouts: '))?.skipped?.message).toBe('not observed: no request was hung');
  });

  it('starts a new window on DELETE, and refuses an unknown format', async () => {
    expect((await sandbox.http.delete('/admin/report')).status).toBe(204);
    const report = (await sandbox.http.get('/admin/report')).body as ReportCard;
    expect(report).toMatchObject({ clients: [], passed: true, since: new Date(sandbox.clock.now()).toISOString() });
    const bad = await sandbox.http.get('/admin/report?format=csv');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad-request', field: 'format' });
  });
});

describe('the request event carries what the grader reads', () => {
  let sandbox: TestSandbox;
  const last = (): RequestFinishedEvent => sandbox.sandbox.control.recentRequests(1)[0] as RequestFinishedEvent;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });

  it('the token sent, also when refused (named by its unverified claims), and why it was refused', async () => {
    const token = await sandbox.token(STU3_TENANT);
    expect(last()).toMatchObject({ route: '/oauth2/token', clientId: 'demo-client', tokenJti: expect.any(String) });
    const issued = last().tokenJti;
    await sandbox.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${token}`).set('Accept', FHIR_JSON).set('Host', 'sandbox.test:8080');
    expect(last()).toMatchObject({ status: 200, tokenJti: issued, fhirVersion: 'stu3', accept: FHIR_JSON, host: 'sandbox.test:8080', startedAt: sandbox.clock.now() });
    sandbox.sandbox.control.expireAllTokens();
    await sandbox.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${token}`);
    expect(last()).toMatchObject({ status: 401, clientId: 'demo-client', tokenJti: issued, tokenRefused: 'revoked' });
    expect(last().tenantId).toBeUndefined();
  });

  it("Retry-After, the fault's kind, the next link given, and a call to the other version's gateway", async () => {
    const token = await sandbox.token(STU3_TENANT);
    sandbox.sandbox.control.addFaultRule({ name: 'busy', match: { resourceType: 'Condition' }, effect: { error: { status: 429, retryAfterSeconds: 7 } } });
    await sandbox.http.get('/fhir/stu3/Condition?patient=ruth-black').set('Authorization', `Bearer ${token}`);
    expect(last()).toMatchObject({ status: 429, retryAfterSeconds: 7, faultKind: 'error', fault: 'busy', query: 'patient=ruth-black' });
    sandbox.sandbox.control.removeFaultRule('busy');
    await sandbox.http.get('/fhir/stu3/Patient?_count=1').set('Authorization', `Bearer ${token}`);
    expect(last().nextLink).toMatch(/\/fhir\/stu3\/Patient\?_count=1&_offset=1$/);
    await sandbox.http.get('/fhir/dstu2/Patient/hugh-chau').set('Authorization', `Bearer ${token}`);
    expect(last()).toMatchObject({ status: 400, fhirVersion: 'dstu2', tenantId: STU3_TENANT });
    const dstu2 = await sandbox.token(DSTU2_TENANT);
    expect(dstu2).not.toBe(token);
  });
});

describe('timeouts, observed from the server side over a real port', () => {
  let sandbox: TestSandbox;
  let server: RunningServer;
  beforeAll(async () => {
    sandbox = await startTestSandbox({}, { profile: { report: { required: ['timeouts'], clientTimeoutSeconds: 30 } } });
    server = await listen(sandbox.sandbox.app, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server.close(100);
  });

  it('a client that gives up on a hung request passes; one the sandbox has to drop fails the required criterion', async () => {
    const token = await sandbox.token(STU3_TENANT);
    sandbox.sandbox.control.addFaultRule({ name: 'hang', match: { resourceType: 'Patient' }, effect: { transport: { kind: 'hang', maxMs: 1500 } } });
    const finished = (count: number) =>
      new Promise<void>((resolve) => {
        const seen: RequestFinishedEvent[] = [];
        const unsubscribe = sandbox.sandbox.events.subscribe((event) => {
          if (event.type === 'request' && event.fault === 'hang') seen.push(event);
          if (seen.length === count) {
            unsubscribe();
            resolve();
          }
        });
      });
    const headers = { Authorization: `Bearer ${token}`, Accept: FHIR_JSON };
    const first = finished(1);
    // This client's own timeout: it closes the connection first. The timer starts once the server has the
    // request, so a slow machine cannot make the client give up before the request (and its hang) began.
    const giveUp = new AbortController();
    server.server.once('request', () => setTimeout(() => giveUp.abort(), 50));
    await expect(fetch(`${server.origin}/fhir/stu3/Patient/ruth-black`, { headers, signal: giveUp.signal })).rejects.toThrow();
    await first;
    let report = sandbox.sandbox.control.reportCard();
    expect(report.clients[0]?.criteria.find((criterion) => criterion.id === 'timeouts')).toMatchObject({ result: 'pass', required: true });
    const second = finished(1);
    // No timeout at all: the sandbox drops the connection after the rule's 1.5 s.
    await expect(fetch(`${server.origin}/fhir/stu3/Patient/ruth-black`, { headers })).rejects.toThrow();
    await second;
    report = sandbox.sandbox.control.reportCard();
    const timeouts = report.clients[0]?.criteria.find((criterion) => criterion.id === 'timeouts');
    expect(timeouts).toMatchObject({ result: 'fail', summary: '1 of 2 hung requests not abandoned within 30s' });
    expect(timeouts?.evidence[0]?.note).toMatch(/^kept waiting until the sandbox dropped the connection after /);
    expect(report.passed).toBe(false);
    sandbox.sandbox.control.clearFaultRules();
  });
});
