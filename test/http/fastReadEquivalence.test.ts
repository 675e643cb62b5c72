import { Agent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import type { Middleware } from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorsOrigins } from '../../src/config/corsOrigins.js';
import type { RequestFinishedEvent, SandboxEvent } from '../../src/events/types.js';
import { createHttpApp } from '../../src/http/app.js';
import type { SandboxState } from '../../src/http/httpState.js';
import { listen, type RunningServer } from '../../src/http/listen.js';
import { ManualClock } from '../../src/lib/clock.js';
import type { Sandbox } from '../../src/sandbox.js';
import { closeUpstreams } from '../../src/tenants/upstreamTenants.js';
import { startMedplumUpstream, type MedplumUpstream } from '../support/medplumUpstream.js';
import { DEMO_CLIENT, DSTU2_TENANT, LIMITED_CLIENT, R4_TENANT, STU3_OTHER_TENANT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

/**
 * The fast read must answer exactly as the Koa path: every request of the table goes once to an app
 * with the fast read and once to the same app without it, over a real port, and the raw status line,
 * headers (names, values, order; Date normalised), body bytes and the request event must be equal.
 * Each row also says which path must answer it, so a fast read that admits nothing cannot pass.
 */

const UPSTREAM_TENANT = '0b6c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const HOST = 'sandbox.test:8080';
const ALLOWED_ORIGIN = 'http://app.test';

interface RawAnswer {
  statusLine: string;
  headers: string[];
  body: string;
}

interface Served {
  server: RunningServer;
  /** Paths of the requests that reached Koa. */
  koaSaw: string[];
}

interface Tokens {
  stu3: string;
  dstu2: string;
  r4: string;
  upstream: string;
  limited: string;
  observationOnly: string;
  patientOnly: string;
  fresh: () => Promise<string>;
}

interface Row {
  name: string;
  path: string;
  method?: string;
  headers?: (tokens: Tokens) => Promise<OutgoingHttpHeaders> | OutgoingHttpHeaders;
  body?: string;
  /** Which path must answer it in the app with the fast read. */
  answeredBy: 'fast' | 'koa';
  status: number;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

const ROWS: Row[] = [
  { name: 'a found patient (STU3)', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => bearer(t.stu3), answeredBy: 'fast', status: 200 },
  { name: 'a found patient (DSTU2)', path: '/fhir/dstu2/Patient/hugh-chau', headers: (t) => bearer(t.dstu2), answeredBy: 'fast', status: 200 },
  { name: 'a found patient (R4)', path: '/fhir/r4/Patient/ruth-black', headers: (t) => bearer(t.r4), answeredBy: 'fast', status: 200 },
  { name: 'a patient of a limited client on its tenant', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => bearer(t.limited), answeredBy: 'fast', status: 404 },
  { name: 'not found', path: '/fhir/stu3/Patient/nobody-here', headers: (t) => bearer(t.stu3), answeredBy: 'fast', status: 404 },
  { name: 'deleted', path: '/fhir/stu3/Patient/fast-read-gone', headers: (t) => bearer(t.stu3), answeredBy: 'fast', status: 410 },
  { name: 'a type the version does not serve', path: '/fhir/stu3/Spaceship/one', headers: (t) => bearer(t.stu3), answeredBy: 'fast', status: 404 },
  { name: 'If-None-Match that holds', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ ...bearer(t.stu3), 'If-None-Match': 'W/"1"' }), answeredBy: 'fast', status: 304 },
  { name: 'If-None-Match that holds, strong and in a list', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ ...bearer(t.stu3), 'If-None-Match': '"7", "1"' }), answeredBy: 'fast', status: 304 },
  { name: 'If-None-Match *', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ ...bearer(t.stu3), 'If-None-Match': '*' }), answeredBy: 'fast', status: 304 },
  { name: 'If-None-Match that does not hold', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ ...bearer(t.stu3), 'If-None-Match': 'W/"99"' }), answeredBy: 'fast', status: 200 },
  { name: 'a token whose scopes allow Patient reads', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => bearer(t.patientOnly), answeredBy: 'fast', status: 200 },
  { name: 'a token whose scopes do not cover Patient', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => bearer(t.observationOnly), answeredBy: 'fast', status: 403 },
  { name: 'an FHIR JSON Accept', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ ...bearer(t.stu3), Accept: 'application/fhir+json' }), answeredBy: 'fast', status: 200 },
  { name: 'an Accept longer than the event keeps', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ ...bearer(t.stu3), Accept: `application/json, ${'text/plain;q=0.1, '.repeat(20)}*/*` }), answeredBy: 'fast', status: 200 },
  { name: 'an Accept of XML only', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ ...bearer(t.stu3), Accept: 'application/fhir+xml' }), answeredBy: 'koa', status: 406 },
  { name: 'an Accept of XML or JSON', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ ...bearer(t.stu3), Accept: 'application/fhir+xml, application/json' }), answeredBy: 'koa', status: 200 },
  { name: 'a token not verified yet', path: '/fhir/stu3/Patient/ruth-black', headers: async (t) => bearer(await t.fresh()), answeredBy: 'koa', status: 200 },
  { name: 'a token that is not a JWT', path: '/fhir/stu3/Patient/ruth-black', headers: () => bearer('not-a-jwt'), answeredBy: 'koa', status: 401 },
  { name: 'no Authorization', path: '/fhir/stu3/Patient/ruth-black', answeredBy: 'koa', status: 401 },
  { name: 'the scheme in lower case', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ Authorization: `bearer ${t.stu3}` }), answeredBy: 'koa', status: 200 },
  { name: 'two spaces after the scheme', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ Authorization: `Bearer  ${t.stu3}` }), answeredBy: 'koa', status: 200 },
  { name: 'a token of another version', path: '/fhir/r4/Patient/ruth-black', headers: (t) => bearer(t.stu3), answeredBy: 'koa', status: 400 },
  { name: 'an upstream tenant', path: '/fhir/r4/Patient/upstream-ada', headers: (t) => bearer(t.upstream), answeredBy: 'koa', status: 200 },
  { name: 'vread', path: '/fhir/stu3/Patient/ruth-black/_history/1', headers: (t) => bearer(t.stu3), answeredBy: 'koa', status: 400 },
  { name: 'a trailing slash', path: '/fhir/stu3/Patient/ruth-black/', headers: (t) => bearer(t.stu3), answeredBy: 'koa', status: 200 },
  { name: 'a double slash', path: '//fhir/stu3/Patient/ruth-black', headers: (t) => bearer(t.stu3), answeredBy: 'koa', status: 404 },
  { name: 'the version in upper case', path: '/fhir/STU3/Patient/ruth-black', headers: (t) => bearer(t.stu3), answeredBy: 'koa', status: 400 },
  { name: 'the type in lower case', path: '/fhir/stu3/patient/ruth-black', headers: (t) => bearer(t.stu3), answeredBy: 'koa', status: 404 },
  { name: 'a percent-encoded id', path: '/fhir/stu3/Patient/ruth%2Dblack', headers: (t) => bearer(t.stu3), answeredBy: 'koa', status: 400 },
  { name: 'a query string', path: '/fhir/stu3/Patient/ruth-black?_format=json', headers: (t) => bearer(t.stu3), answeredBy: 'koa', status: 200 },
  { name: 'an empty query string', path: '/fhir/stu3/Patient/ruth-black?', headers: (t) => bearer(t.stu3), answeredBy: 'koa', status: 200 },
  { name: '_format=xml', path: '/fhir/stu3/Patient/ruth-black?_format=xml', headers: (t) => bearer(t.stu3), answeredBy: 'koa', status: 406 },
  { name: 'an allowed Origin', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ ...bearer(t.stu3), Origin: ALLOWED_ORIGIN }), answeredBy: 'koa', status: 200 },
  { name: 'a foreign Origin', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ ...bearer(t.stu3), Origin: 'http://elsewhere.test' }), answeredBy: 'koa', status: 200 },
  { name: 'HEAD', method: 'HEAD', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => bearer(t.stu3), answeredBy: 'koa', status: 405 },
  { name: 'a GET with a body', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ ...bearer(t.stu3), 'Content-Type': 'application/fhir+json', 'Content-Length': '2' }), body: '{}', answeredBy: 'koa', status: 200 },
  { name: 'a Host with user info', path: '/fhir/stu3/Patient/ruth-black', headers: (t) => ({ ...bearer(t.stu3), Host: `user@${HOST}` }), answeredBy: 'koa', status: 200 },
];

describe('the fast read answers exactly as the Koa path', () => {
  let t: TestSandbox;
  let upstream: MedplumUpstream;
  let tokens: Tokens;
  const agent = new Agent({ keepAlive: true });
  const servers: RunningServer[] = [];
  const events: RequestFinishedEvent[] = [];

  beforeAll(async () => {
    upstream = await startMedplumUpstream();
    await upstream.repo.updateResource({ resourceType: 'Patient', id: 'upstream-ada', name: [{ family: 'Upstream', given: ['Ada'] }] });
    t = await startTestSandbox(
      {},
      {
        clock: new ManualClock(Date.UTC(2026, 0, 15, 9)),
        profile: {
          tenants: [
            { id: STU3_TENANT, name: 'Northside', hospital: 'St. Mary (STU3)', fhirVersion: 'stu3', patients: 3, fixtures: ['patients'] },
            { id: STU3_OTHER_TENANT, name: 'Riverside', hospital: 'Riverside (STU3)', fhirVersion: 'stu3', patients: 3 },
            { id: DSTU2_TENANT, name: 'Lakeview', hospital: 'Lakeview (DSTU2)', fhirVersion: 'dstu2', patients: 3, fixtures: ['patients'] },
            { id: R4_TENANT, name: 'Harborview', hospital: 'Harborview (R4)', fhirVersion: 'r4', patients: 3, fixtures: ['patients'] },
            { id: UPSTREAM_TENANT, name: 'Medplum', hospital: 'Medplum in memory (R4)', fhirVersion: 'r4', upstream: { baseUrl: upstream.baseUrl, auth: { type: 'none' } } },
          ],
          clients: [
            { id: DEMO_CLIENT.id, secret: DEMO_CLIENT.secret, tenants: '*' },
            { id: LIMITED_CLIENT.id, secret: LIMITED_CLIENT.secret, tenants: [STU3_OTHER_TENANT] },
          ],
        },
      },
    );
    const tokenFor = async (tenant: string, scope = '', client = DEMO_CLIENT) => {
      const response = await t.http
        .post('/oauth2/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret, scope: `${tenant} ${scope}`.trim() });
      if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.text}`);
      return (response.body as { access_token: string }).access_token;
    };
    tokens = {
      stu3: await tokenFor(STU3_TENANT),
      dstu2: await tokenFor(DSTU2_TENANT),
      r4: await tokenFor(R4_TENANT),
      upstream: await tokenFor(UPSTREAM_TENANT),
      limited: await tokenFor(STU3_OTHER_TENANT, '', LIMITED_CLIENT),
      observationOnly: await tokenFor(STU3_TENANT, 'system/Observation.read'),
      patientOnly: await tokenFor(STU3_TENANT, 'system/Patient.read'),
      fresh: () => tokenFor(STU3_TENANT),
    };
    // Every token used once before the table, so the verifier has it cached as a client's would be.
    for (const token of [tokens.stu3, tokens.dstu2, tokens.r4, tokens.upstream, tokens.limited, tokens.observationOnly, tokens.patientOnly]) {
      await t.sandbox.auth.verify(token);
    }
    const gone = t.http.put('/fhir/stu3/Patient/fast-read-gone').set('Authorization', `Bearer ${tokens.stu3}`).set('Content-Type', 'application/fhir+json');
    expect((await gone.send(JSON.stringify({ resourceType: 'Patient', id: 'fast-read-gone' }))).status).toBe(201);
    expect((await t.http.delete('/fhir/stu3/Patient/fast-read-gone').set('Authorization', `Bearer ${tokens.stu3}`)).status).toBe(204);
    t.sandbox.events.subscribe((event: SandboxEvent) => {
      if (event.type === 'request') events.push(event);
    });
  });

  afterAll(async () => {
    agent.destroy();
    await Promise.all(servers.map((server) => server.close(0)));
    await closeUpstreams(t.sandbox.tenants);
    await upstream.stop();
  });

  async function serve(sandbox: Sandbox, cors: CorsOrigins, fastRead: boolean): Promise<Served> {
    const app = createHttpApp({
      auth: sandbox.auth,
      tenants: sandbox.tenants,
      faults: sandbox.faults,
      control: sandbox.control,
      events: sandbox.events,
      clock: sandbox.clock,
      publicBaseUrl: undefined,
      adminKey: undefined,
      exposeFaultHeader: () => sandbox.control.faultHeaderExposed,
      maxHangMs: 1_000,
      softwareVersion: sandbox.version,
      cors,
      frontDoor: { profileName: 'test', demoClient: undefined },
      exports: sandbox.exports,
      fastRead,
    });
    const koaSaw: string[] = [];
    const noting: Middleware<SandboxState> = (ctx, next) => {
      koaSaw.push(ctx.path);
      return next();
    };
    app.middleware.unshift(noting);
    const server = await listen(app, 0, '127.0.0.1');
    servers.push(server);
    return { server, koaSaw };
  }

  async function send(served: Served, row: Row, headers: OutgoingHttpHeaders): Promise<{ answer: RawAnswer; event: RequestFinishedEvent | undefined; viaKoa: boolean }> {
    events.length = 0;
    const seenByKoa = served.koaSaw.length;
    const answer = await new Promise<RawAnswer>((resolve, reject) => {
      const { hostname, port } = new URL(served.server.origin);
      // The path as written, not normalised by a URL parser.
      const request = httpRequest({ hostname, port, path: row.path, method: row.method ?? 'GET', agent, headers: { Host: HOST, ...headers } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const raw = response.rawHeaders.map((value, index) => (index % 2 === 1 && response.rawHeaders[index - 1] === 'Date' ? '(date)' : value));
          resolve({ statusLine: `HTTP/${response.httpVersion} ${response.statusCode} ${response.statusMessage}`, headers: raw, body: Buffer.concat(chunks).toString('latin1') });
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(row.body);
    });
    expect(events.length).toBe(1);
    return { answer, event: events[0], viaKoa: served.koaSaw.length > seenByKoa };
  }

  /** What must be equal of an event: everything but the time spent (and an upstream's share of it), fields in order, as the event stream serialises it. */
  function comparable(event: RequestFinishedEvent | undefined): string {
    const timed = (key: string, value: unknown) => (key === 'ms' || key === 'upstreamMs' ? typeof value : value);
    return JSON.stringify(event, timed);
  }

  async function compare(pair: { fast: Served; koa: Served }, row: Row): Promise<void> {
    const headers = row.headers === undefined ? {} : await row.headers(tokens);
    const fast = await send(pair.fast, row, headers);
    const koa = await send(pair.koa, row, headers);
    expect(koa.viaKoa).toBe(true);
    expect({ status: Number(fast.answer.statusLine.split(' ')[1]), viaKoa: fast.viaKoa }).toEqual({ status: row.status, viaKoa: row.answeredBy === 'koa' });
    expect(fast.answer.statusLine).toBe(koa.answer.statusLine);
    expect(fast.answer.headers).toEqual(koa.answer.headers);
    expect(fast.answer.body).toBe(koa.answer.body);
    expect(comparable(fast.event)).toBe(comparable(koa.event));
  }

  for (const cors of ['*', [ALLOWED_ORIGIN], 'off'] as const) {
    describe(`with CORS ${JSON.stringify(cors)}`, () => {
      let pair: { fast: Served; koa: Served };
      beforeAll(async () => {
        pair = { fast: await serve(t.sandbox, cors, true), koa: await serve(t.sandbox, cors, false) };
      });

      it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
        await compare(pair, row);
      });

      it('a read while a fault rule could fire goes through the fault layer', async () => {
        t.sandbox.control.addFaultRule({ name: 'elsewhere', match: { tenantId: STU3_OTHER_TENANT }, effect: { error: { status: 503 } } });
        try {
          await compare(pair, { name: 'faults armed', path: '/fhir/stu3/Patient/ruth-black', headers: (tk) => bearer(tk.stu3), answeredBy: 'koa', status: 200 });
        } finally {
          t.sandbox.control.removeFaultRule('elsewhere');
        }
      });
    });
  }

  // Last: the clock moves past every token's expiry.
  it('an expired token, cached while it was good', async () => {
    const pair = { fast: await serve(t.sandbox, '*', true), koa: await serve(t.sandbox, '*', false) };
    (t.clock as ManualClock).advance(3_601_000);
    await compare(pair, { name: 'expired', path: '/fhir/stu3/Patient/ruth-black', headers: (tk) => bearer(tk.stu3), answeredBy: 'koa', status: 401 });
  });
});
