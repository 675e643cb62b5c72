import { describe, expect, it } from 'vitest';
import type { RequestFinishedEvent, TokenIssuedEvent } from '../../src/events/types.js';
import type { CriterionId } from '../../src/report/criteria.js';
import { gradeTraffic, type ObservedWindow } from '../../src/report/gradeTraffic.js';
import { DEFAULT_REPORT_SETTINGS } from '../../src/report/reportSettings.js';

const T0 = Date.UTC(2026, 0, 15, 9);
const STU3 = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';
const HOST = '127.0.0.1:8080';

/** A little client, written request by request: each one starts `after` ms after the previous one finished. */
function traffic() {
  const requests: RequestFinishedEvent[] = [];
  const tokens: TokenIssuedEvent[] = [];
  let now = T0;
  let count = 0;
  let token = '';
  const api = {
    token(lifetimeSeconds = 3600, after = 0) {
      now += after;
      token = `jti-${tokens.length + 1}`;
      tokens.push({ type: 'token-issued', at: now, clientId: 'app', tenantId: STU3, jti: token, expiresAt: now + lifetimeSeconds * 1000 });
      requests.push(request('POST', '/oauth2/token', 200, { route: '/oauth2/token', tenantId: STU3, tokenJti: token }));
      return api;
    },
    call(method: string, path: string, status = 200, fields: Partial<RequestFinishedEvent> = {}, after = 0, tookMs = 0) {
      now += after;
      const [pathname, query] = path.split('?');
      requests.push(
        request(method, pathname as string, status, {
          route: pathname === '/fhir/stu3' ? '/fhir/:version' : '/fhir/:version/:type',
          fhirVersion: 'stu3',
          accept: 'application/fhir+json',
          tokenJti: token,
          ...(status === 401 ? {} : { tenantId: STU3 }),
          ...(query === undefined ? {} : { query }),
          ...fields,
        }, tookMs),
      );
      return api;
    },
    grade(windowFields: Partial<ObservedWindow> = {}, settings = DEFAULT_REPORT_SETTINGS) {
      const window: ObservedWindow = { since: T0, requests, tokens, invalidations: [], metadataHosts: new Set([HOST]), droppedRequests: 0, ...windowFields };
      return gradeTraffic(window, { now, settings, tenantVersions: new Map([[STU3, 'stu3']]), scenario: null });
    },
  };
  function request(method: string, path: string, status: number, fields: Partial<RequestFinishedEvent>, tookMs = 0): RequestFinishedEvent {
    const startedAt = now;
    now += tookMs;
    return { type: 'request', at: now, startedAt, requestId: `r${(++count).toString(36)}`, method, route: path, path, status, ms: tookMs, clientId: 'app', host: HOST, ...fields };
  }
  return api;
}

const criterion = (report: ReturnType<ReturnType<typeof traffic>['grade']>, id: CriterionId) => {
  const found = report.clients[0]?.criteria.find((item) => item.id === id);
  if (found === undefined) throw new Error(`no ${id}`);
  return found;
};

describe('the report card, graded from request events alone', () => {
  it('has one entry per client with every criterion, required ones marked, and passes when none of those fails', () => {
    const report = traffic().token().call('POST', '/fhir/stu3/Patient/_search').call('GET', '/fhir/stu3/Patient/p1').grade();
    expect(report).toMatchObject({ since: new Date(T0).toISOString(), scenario: null, passed: true, failures: [], droppedRequests: 0 });
    expect(report.clients.map((client) => client.clientId)).toEqual(['app']);
    expect(report.clients[0]?.criteria.map((item) => item.id)).toEqual(['token-reuse', 'token-refresh', 'expiry-foresight', 'retry-after', 'backoff', 'paging', 'page-load', 'correctness', 'timeouts']);
    expect(criterion(report, 'page-load').required).toBe(false);
    expect(criterion(report, 'token-reuse')).toMatchObject({ required: true, result: 'pass', summary: '2 FHIR calls on 1 tokens' });
    expect(criterion(report, 'timeouts')).toMatchObject({ result: 'not-observed', evidence: [] });
  });

  it('token reuse: a token per request fails with the requests as evidence', () => {
    const report = traffic().token().call('GET', '/fhir/stu3/Patient/a').token().call('GET', '/fhir/stu3/Patient/b').token().call('GET', '/fhir/stu3/Patient/c').grade();
    const reuse = criterion(report, 'token-reuse');
    expect(reuse.result).toBe('fail');
    expect(reuse.evidence.map((item) => item.requestId)).toEqual(['r3', 'r5']);
    expect(reuse.evidence[0]?.note).toBe('token #2 fetched while token #1 had 3600s of 3600s left');
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual([{ clientId: 'app', criterion: 'token-reuse', summary: expect.stringContaining('2 of 3 tokens') }]);
  });

  it('token refresh: a refused token sent again fails; a new token and the same call again passes', () => {
    const looping = traffic().token().call('GET', '/fhir/stu3/Patient/a', 401, { tokenRefused: 'revoked' }).call('GET', '/fhir/stu3/Patient/a', 401, { tokenRefused: 'revoked' }).grade();
    expect(criterion(looping, 'token-refresh')).toMatchObject({ result: 'fail', evidence: [{ requestId: 'r3', note: 'sent token #1 again after it was refused (r2)' }] });
    const good = traffic().token().call('GET', '/fhir/stu3/Patient/a', 401, { tokenRefused: 'revoked' }).token().call('GET', '/fhir/stu3/Patient/a').grade();
    expect(criterion(good, 'token-refresh')).toMatchObject({ result: 'pass', evidence: [{ requestId: 'r4' }] });
  });

  it('expiry foresight: one refusal per expired token passes, a second one fails', () => {
    const twice = traffic().token(5).call('GET', '/fhir/stu3/Patient/a', 401, { tokenRefused: 'expired' }, 6000).call('GET', '/fhir/stu3/Patient/b', 401, { tokenRefused: 'expired' }).grade();
    expect(criterion(twice, 'expiry-foresight')).toMatchObject({ result: 'fail', evidence: [{ requestId: 'r3' }] });
    const ahead = traffic().token(10).call('GET', '/fhir/stu3/Patient/a', 200, {}, 1000).token(10, 8000).call('GET', '/fhir/stu3/Patient/a').grade();
    expect(criterion(ahead, 'expiry-foresight')).toMatchObject({ result: 'pass', evidence: [{ requestId: 'r3', note: 'replaced token #1 1s before it expired' }] });
  });

  it('Retry-After: a retry before the time has passed fails; one after it passes', () => {
    const early = traffic().token().call('GET', '/fhir/stu3/Patient/a', 429, { retryAfterSeconds: 2 }).call('GET', '/fhir/stu3/Patient/a', 200, {}, 500).grade();
    expect(criterion(early, 'retry-after')).toMatchObject({ result: 'fail', evidence: [{ requestId: 'r3', note: 'GET /fhir/stu3/Patient/a again 0.5s after r2 (429) asked for 2s' }] });
    const patient = traffic().token().call('GET', '/fhir/stu3/Patient/a', 503, { retryAfterSeconds: 2 }).call('GET', '/fhir/stu3/Patient/a', 200, {}, 2000).grade();
    expect(criterion(patient, 'retry-after').result).toBe('pass');
  });

  it('backoff: growing gaps pass; a tight loop fails; too many retries before a pause fail', () => {
    const grow = traffic().token().call('GET', '/fhir/stu3/Patient/a', 503).call('GET', '/fhir/stu3/Patient/a', 503, {}, 200).call('GET', '/fhir/stu3/Patient/a', 502, {}, 450).call('GET', '/fhir/stu3/Patient/a', 200, {}, 900).grade();
    expect(criterion(grow, 'backoff')).toMatchObject({ result: 'pass', evidence: [{ note: 'GET /fhir/stu3/Patient/a retried after 0.2s, 0.5s, 0.9s' }] });
    const tight = traffic().token().call('GET', '/fhir/stu3/Patient/a', 500).call('GET', '/fhir/stu3/Patient/a', 500).call('GET', '/fhir/stu3/Patient/a', 500).call('GET', '/fhir/stu3/Patient/a', 200).grade();
    expect(criterion(tight, 'backoff')).toMatchObject({ result: 'fail', evidence: [{ requestId: 'r5', note: 'GET /fhir/stu3/Patient/a retried after 0s, 0s, 0s: the gaps do not grow' }] });
    let endless = traffic().token();
    for (let attempt = 0; attempt < 8; attempt++) endless = endless.call('GET', '/fhir/stu3/Patient/a', 0, { faultKind: 'reset' }, 100 * 2 ** Math.min(attempt, 4));
    expect(criterion(endless.grade(), 'backoff').evidence[0]?.note).toBe('GET /fhir/stu3/Patient/a retried 7 times without a pause of 5s (limit 5)');
  });

  it('paging: next links as given pass; offsets of its own and a 404 link asked again fail', () => {
    const next = 'http://127.0.0.1:8080/fhir/stu3/Patient?_count=10&_offset=10';
    const follows = traffic().token().call('POST', '/fhir/stu3/Patient/_search', 200, { nextLink: next }).call('GET', '/fhir/stu3/Patient?_count=10&_offset=10').grade();
    expect(criterion(follows, 'paging')).toMatchObject({ result: 'pass', evidence: [{ requestId: 'r3', note: 'followed the next link from r2' }] });
    const own = traffic().token().call('POST', '/fhir/stu3/Patient/_search', 200, { nextLink: next }).call('GET', '/fhir/stu3/Patient?_offset=10&_count=10').grade();
    expect(criterion(own, 'paging')).toMatchObject({ result: 'fail', evidence: [{ requestId: 'r3' }] });
    const broken = `${next}&sandbox-broken-page=not-found~0~broken-paging/next-404`;
    const loop = traffic().token().call('POST', '/fhir/stu3/Patient/_search', 200, { nextLink: broken }).call('GET', new URL(broken).pathname + new URL(broken).search, 404).call('GET', new URL(broken).pathname + new URL(broken).search, 404).grade();
    expect(criterion(loop, 'paging').evidence[0]?.note).toMatch(/again after it answered 404: looping on a broken link$/);
  });

  it('page load: searches per resource type for one patient fail; a batch passes', () => {
    const split = traffic().token().call('GET', '/fhir/stu3/Observation?patient=p1').call('GET', '/fhir/stu3/Condition?patient=p1').grade();
    expect(criterion(split, 'page-load')).toMatchObject({ result: 'fail', evidence: [{ requestId: 'r3', note: 'patient p1: Observation and Condition searched one by one, not in a batch' }] });
    expect(criterion(traffic().token().call('POST', '/fhir/stu3').grade(), 'page-load').result).toBe('pass');
  });

  it("correctness: another version's gateway, an Accept without FHIR JSON and a host metadata did not advertise fail", () => {
    const report = traffic()
      .token()
      .call('GET', '/fhir/dstu2/Patient/a', 400, { fhirVersion: 'dstu2' })
      .call('GET', '/fhir/stu3/Patient/a', 200, { accept: '*/*' })
      .call('GET', '/fhir/stu3/Patient/b', 200, { host: 'localhost:8080' })
      .grade();
    const result = criterion(report, 'correctness');
    expect(result.result).toBe('fail');
    expect(result.evidence.map((item) => item.requestId)).toEqual(['r2', 'r3', 'r4']);
    expect(result.summary).toBe('wrong 1 gateway, 1 accept, 1 host');
  });

  it("timeouts: a hung request the client closed within its stated timeout passes; one the sandbox had to drop fails", () => {
    const closed = traffic().token().call('GET', '/fhir/stu3/Patient/a', 0, { faultKind: 'hang', clientClosed: true }, 0, 5000).grade();
    expect(criterion(closed, 'timeouts')).toMatchObject({ result: 'pass', evidence: [{ note: 'closed the hung connection after 5s' }] });
    const held = traffic().token().call('GET', '/fhir/stu3/Patient/a', 0, { faultKind: 'hang' }, 0, 120_000).grade({}, { ...DEFAULT_REPORT_SETTINGS, required: ['timeouts'] });
    expect(criterion(held, 'timeouts')).toMatchObject({ result: 'fail', required: true, evidence: [{ note: 'kept waiting until the sandbox dropped the connection after 120s' }] });
    expect(held.passed).toBe(false);
  });
});
