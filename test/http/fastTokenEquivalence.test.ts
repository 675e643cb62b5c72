import { Agent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { Middleware } from 'koa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CorsOrigins } from '../../src/config/corsOrigins.js';
import type { SandboxEvent } from '../../src/events/types.js';
import { createHttpApp } from '../../src/http/app.js';
import type { SandboxState } from '../../src/http/httpState.js';
import { listen, type RunningServer } from '../../src/http/listen.js';
import type { Sandbox } from '../../src/sandbox.js';
import { DEMO_CLIENT, DSTU2_TENANT, LIMITED_CLIENT, STU3_OTHER_TENANT, STU3_TENANT, startTestSandbox, testAppOptions, type TestSandbox } from '../support/testSandbox.js';

/**
 * The fast token path must answer exactly as the Koa path: every request of the table goes once to
 * an app with the fast token path and once to the same app without it, over a real port, and the raw
 * status line, headers (names, values, order; Date normalised), body and every event the request
 * causes (the token-issued and request events, a warning) must be equal, but for what differs between
 * any two tokens: the jti (in the token, its events and the ledger), the issue number and the
 * signature. The report card and the request log are built from those events. Each row also says
 * which path must answer it, so a fast path that admits nothing cannot pass.
 */

const HOST = 'sandbox.test:8080';
const ALLOWED_ORIGIN = 'http://app.test';
const UNKNOWN_TENANT = '00000000-0000-4000-8000-000000000000';
const TOKEN_PATH = '/oauth2/token';

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

interface Row {
  name: string;
  path?: string;
  method?: string;
  /** The form's fields, or the body as sent. */
  form?: Record<string, string | string[]> | string;
  headers?: OutgoingHttpHeaders;
  /** Send it on a connection of its own (an answer given before the body was read may close it). */
  ownConnection?: boolean;
  /** Which path must answer it in the app with the fast token path. */
  answeredBy: 'fast' | 'koa';
  status: number;
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => ({ ...FORM, Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });
const demo = (scope: string = STU3_TENANT) => ({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret, scope });

const ROWS: Row[] = [
  { name: 'client_secret_post', form: demo(), headers: FORM, answeredBy: 'fast', status: 200 },
  { name: 'client_secret_basic', form: { grant_type: 'client_credentials', scope: STU3_TENANT }, headers: basic(DEMO_CLIENT.id, DEMO_CLIENT.secret), answeredBy: 'fast', status: 200 },
  { name: 'SMART scopes beside the tenant', form: demo(`system/Patient.read ${DSTU2_TENANT}`), headers: FORM, answeredBy: 'fast', status: 200 },
  { name: 'an Accept header', form: demo(), headers: { ...FORM, Accept: 'application/json' }, answeredBy: 'fast', status: 200 },
  { name: 'the form type with a charset', form: demo(), headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' }, answeredBy: 'fast', status: 200 },
  { name: 'the grant-type misspelling (lenient: a warning)', form: { 'grant-type': 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret, scope: STU3_TENANT }, headers: FORM, answeredBy: 'fast', status: 200 },
  { name: 'a limited client on its tenant', form: { grant_type: 'client_credentials', client_id: LIMITED_CLIENT.id, client_secret: LIMITED_CLIENT.secret, scope: STU3_OTHER_TENANT }, headers: FORM, answeredBy: 'fast', status: 200 },
  { name: 'a wrong posted secret', form: { ...demo(), client_secret: 'wrong-secret' }, headers: FORM, answeredBy: 'fast', status: 401 },
  { name: 'a wrong Basic secret (a challenge)', form: { grant_type: 'client_credentials', scope: STU3_TENANT }, headers: basic(DEMO_CLIENT.id, 'wrong-secret'), answeredBy: 'fast', status: 401 },
  { name: 'Basic credentials without a colon', form: { grant_type: 'client_credentials', scope: STU3_TENANT }, headers: { ...FORM, Authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }, answeredBy: 'fast', status: 401 },
  { name: 'an unknown client', form: { ...demo(), client_id: 'ghost', client_secret: 'whatever-1' }, headers: FORM, answeredBy: 'fast', status: 401 },
  { name: 'no client authentication', form: { grant_type: 'client_credentials', scope: STU3_TENANT }, headers: FORM, answeredBy: 'fast', status: 401 },
  { name: 'a missing grant_type', form: { client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret, scope: STU3_TENANT }, headers: FORM, answeredBy: 'fast', status: 400 },
  { name: 'an unsupported grant type', form: { ...demo(), grant_type: 'authorization_code' }, headers: FORM, answeredBy: 'fast', status: 400 },
  { name: 'a repeated grant_type', form: { ...demo(), grant_type: ['client_credentials', 'client_credentials'] }, headers: FORM, answeredBy: 'fast', status: 400 },
  { name: 'a repeated client_id (logged under the Basic user)', form: { grant_type: 'client_credentials', client_id: ['a', 'b'], scope: STU3_TENANT }, headers: basic(DEMO_CLIENT.id, DEMO_CLIENT.secret), answeredBy: 'fast', status: 400 },
  { name: 'two authentication methods', form: demo(), headers: basic(DEMO_CLIENT.id, DEMO_CLIENT.secret), answeredBy: 'fast', status: 400 },
  { name: 'no tenant in scope', form: demo('system/Patient.read'), headers: FORM, answeredBy: 'fast', status: 400 },
  { name: 'two tenants in scope', form: demo(`${STU3_TENANT} ${DSTU2_TENANT}`), headers: FORM, answeredBy: 'fast', status: 400 },
  { name: 'a malformed SMART scope', form: demo(`${STU3_TENANT} system/Patient.fly`), headers: FORM, answeredBy: 'fast', status: 400 },
  { name: 'an unknown tenant', form: demo(UNKNOWN_TENANT), headers: FORM, answeredBy: 'fast', status: 400 },
  { name: 'a tenant the client may not use', form: { grant_type: 'client_credentials', client_id: LIMITED_CLIENT.id, client_secret: LIMITED_CLIENT.secret, scope: STU3_TENANT }, headers: FORM, answeredBy: 'fast', status: 400 },
  { name: 'a malformed form', form: '%%%&&&===%E0%A4%A', headers: FORM, answeredBy: 'fast', status: 400 },
  { name: 'an empty body', form: '', headers: FORM, answeredBy: 'fast', status: 400 },
  { name: 'a client assertion', form: { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: 'not.a.jwt', scope: STU3_TENANT }, headers: FORM, answeredBy: 'koa', status: 401 },
  { name: 'a client assertion type alone', form: { ...demo(), client_assertion_type: 'other' }, headers: FORM, answeredBy: 'koa', status: 400 },
  { name: 'a body over the limit', form: `grant_type=client_credentials&padding=${'x'.repeat(40_000)}`, headers: FORM, ownConnection: true, answeredBy: 'koa', status: 413 },
  { name: 'an allowed Origin', form: demo(), headers: { ...FORM, Origin: ALLOWED_ORIGIN }, answeredBy: 'koa', status: 200 },
  { name: 'a foreign Origin', form: demo(), headers: { ...FORM, Origin: 'http://elsewhere.test' }, answeredBy: 'koa', status: 200 },
  { name: 'a trailing slash', path: `${TOKEN_PATH}/`, form: demo(), headers: FORM, answeredBy: 'koa', status: 200 },
  { name: 'a query string', path: `${TOKEN_PATH}?x=1`, form: demo(), headers: FORM, answeredBy: 'koa', status: 200 },
  { name: 'a JSON body', form: JSON.stringify(demo()), headers: { 'Content-Type': 'application/json' }, answeredBy: 'koa', status: 400 },
  { name: 'no Content-Type', form: new URLSearchParams(demo()).toString(), headers: {}, answeredBy: 'koa', status: 400 },
  { name: 'a chunked body', form: demo(), headers: { ...FORM, 'Transfer-Encoding': 'chunked' }, answeredBy: 'koa', status: 200 },
  { name: 'Content-Encoding identity', form: demo(), headers: { ...FORM, 'Content-Encoding': 'identity' }, answeredBy: 'koa', status: 200 },
  { name: 'GET', method: 'GET', headers: {}, answeredBy: 'koa', status: 405 },
];

/** A form as its fields, a list field repeated; a string as it is. */
function formBody(form: Row['form']): string | undefined {
  if (form === undefined || typeof form === 'string') return form;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const each of Array.isArray(value) ? value : [value]) params.append(name, each);
  return params.toString();
}

describe('the fast token path answers exactly as the Koa path', () => {
  let t: TestSandbox;
  const agent = new Agent({ keepAlive: true });
  const servers: RunningServer[] = [];
  const events: SandboxEvent[] = [];

  beforeAll(async () => {
    t = await startTestSandbox();
    t.sandbox.events.subscribe((event: SandboxEvent) => events.push(event));
  });

  afterAll(async () => {
    agent.destroy();
    await Promise.all(servers.map((server) => server.close(0)));
  });

  async function serve(sandbox: Sandbox, cors: CorsOrigins, fastToken: boolean): Promise<Served> {
    const app = createHttpApp(testAppOptions(sandbox, { cors, fastToken }));
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

  interface Sent {
    answer: RawAnswer;
    events: SandboxEvent[];
    viaKoa: boolean;
    issued: number;
  }

  async function send(served: Served, row: Row): Promise<Sent> {
    events.length = 0;
    const seenByKoa = served.koaSaw.length;
    const issuedBefore = t.sandbox.auth.issuedTokens.counts(() => true).issued;
    const body = formBody(row.form);
    const chunked = row.headers?.['Transfer-Encoding'] !== undefined;
    const answer = await new Promise<RawAnswer>((resolve, reject) => {
      const { hostname, port } = new URL(served.server.origin);
      const headers: OutgoingHttpHeaders = { Host: HOST, ...row.headers, ...(body === undefined || chunked ? {} : { 'Content-Length': Buffer.byteLength(body) }) };
      // The path as written, not normalised by a URL parser.
      const request = httpRequest({ hostname, port, path: row.path ?? TOKEN_PATH, method: row.method ?? 'POST', agent: row.ownConnection ? false : agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const raw = response.rawHeaders.map((value, index) => (index % 2 === 1 && response.rawHeaders[index - 1] === 'Date' ? '(date)' : value));
          resolve({ statusLine: `HTTP/${response.httpVersion} ${response.statusCode} ${response.statusMessage}`, headers: raw, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
    expect(events.filter((event) => event.type === 'request')).toHaveLength(1);
    return { answer, events: [...events], viaKoa: served.koaSaw.length > seenByKoa, issued: t.sandbox.auth.issuedTokens.counts(() => true).issued - issuedBefore };
  }

  /** The token's claims with what differs between any two tokens (jti, issue number) set aside, and its header. */
  function comparableToken(token: string): unknown {
    const [header] = token.split('.');
    const claims = decodeJwt(token);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(token.split('.')[2]).toMatch(/^[A-Za-z0-9_-]{86}$/);
    return { header, claims: { ...claims, jti: '(jti)', seq: typeof claims.seq } };
  }

  function comparableBody(body: string): unknown {
    if (!body.startsWith('{"access_token":')) return body;
    const parsed = JSON.parse(body) as { access_token: string };
    return { ...parsed, access_token: comparableToken(parsed.access_token), bytes: Buffer.byteLength(body) };
  }

  /** Every event, fields in order as the event stream serialises them, without the time spent and with the jti set aside. */
  function comparableEvents(sent: SandboxEvent[]): string {
    return JSON.stringify(sent, (key, value: unknown) => (key === 'ms' ? typeof value : key === 'jti' || key === 'tokenJti' ? '(jti)' : value));
  }

  async function compare(pair: { fast: Served; koa: Served }, row: Row): Promise<Sent> {
    const fast = await send(pair.fast, row);
    const koa = await send(pair.koa, row);
    expect(koa.viaKoa).toBe(true);
    expect({ status: Number(fast.answer.statusLine.split(' ')[1]), viaKoa: fast.viaKoa }).toEqual({ status: row.status, viaKoa: row.answeredBy === 'koa' });
    expect(fast.answer.statusLine).toBe(koa.answer.statusLine);
    expect(fast.answer.headers).toEqual(koa.answer.headers);
    expect(comparableBody(fast.answer.body)).toEqual(comparableBody(koa.answer.body));
    expect(comparableEvents(fast.events)).toBe(comparableEvents(koa.events));
    // The ledger counts each token once, whichever path issued it.
    expect(fast.issued).toBe(koa.issued);
    expect(fast.issued).toBe(row.status === 200 ? 1 : 0);
    const issuedEvent = fast.events.find((event) => event.type === 'token-issued');
    const requestEvent = fast.events.find((event) => event.type === 'request');
    if (issuedEvent !== undefined && requestEvent?.type === 'request') expect(requestEvent.tokenJti).toBe(issuedEvent.jti);
    return fast;
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

      it('a token request while a fault rule could fire goes through the fault layer', async () => {
        t.sandbox.control.addFaultRule({ name: 'elsewhere', match: { tenantId: STU3_OTHER_TENANT }, effect: { error: { status: 503 } } });
        try {
          await compare(pair, { name: 'faults armed', form: demo(), headers: FORM, answeredBy: 'koa', status: 200 });
        } finally {
          t.sandbox.control.removeFaultRule('elsewhere');
        }
      });

      it('a token request a fault rule answers', async () => {
        t.sandbox.control.addFaultRule({ name: 'token-down', match: { interaction: 'token' }, effect: { error: { status: 503 } } });
        try {
          await compare(pair, { name: 'token fault', form: demo(), headers: FORM, answeredBy: 'koa', status: 503 });
        } finally {
          t.sandbox.control.removeFaultRule('token-down');
        }
      });
    });
  }

  it('a secret rotated, then the old one revoked, between requests', async () => {
    const pair = { fast: await serve(t.sandbox, '*', true), koa: await serve(t.sandbox, '*', false) };
    t.sandbox.control.createClient({ id: 'rotating', secret: 'first-secret', tenants: '*' });
    const form = (secret: string) => ({ grant_type: 'client_credentials', client_id: 'rotating', client_secret: secret, scope: STU3_TENANT });
    await compare(pair, { name: 'the first secret', form: form('first-secret'), headers: FORM, answeredBy: 'fast', status: 200 });
    const first = t.sandbox.auth.clients.get('rotating')?.secrets[0]?.id as string;
    const { secret } = t.sandbox.control.rotateClientSecret('rotating');
    const newByBasic = { grant_type: 'client_credentials', scope: STU3_TENANT };
    await compare(pair, { name: 'the first secret, beside the new one', form: form('first-secret'), headers: FORM, answeredBy: 'fast', status: 200 });
    await compare(pair, { name: 'the new secret', form: newByBasic, headers: basic('rotating', secret), answeredBy: 'fast', status: 200 });
    t.sandbox.control.revokeClientSecret('rotating', first);
    await compare(pair, { name: 'the revoked secret', form: form('first-secret'), headers: FORM, answeredBy: 'fast', status: 401 });
    await compare(pair, { name: 'the new secret', form: newByBasic, headers: basic('rotating', secret), answeredBy: 'fast', status: 200 });
  });

  it('grades both paths’ token requests alike on the report card', async () => {
    const card = async (fastToken: boolean) => {
      const served = await serve(t.sandbox, '*', fastToken);
      t.sandbox.control.resetReport();
      for (const row of ROWS.filter((each) => each.answeredBy === 'fast')) await send(served, row);
      return t.sandbox.control.reportCard();
    };
    const fast = await card(true);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(await card(false)));
  });

  it('a client that goes away before its body is complete: Koa logs it, from either app', async () => {
    const aborted = async (served: Served): Promise<string> => {
      events.length = 0;
      const seenByKoa = served.koaSaw.length;
      const { hostname, port } = new URL(served.server.origin);
      const request = httpRequest({ hostname, port, path: TOKEN_PATH, method: 'POST', agent: false, headers: { Host: HOST, ...FORM, 'Content-Length': '100' } });
      request.on('error', () => undefined);
      request.write('grant_type=client_credentials');
      await new Promise((resolve) => setTimeout(resolve, 50));
      request.destroy();
      await vi.waitFor(() => expect(events.some((event) => event.type === 'request')).toBe(true));
      expect(served.koaSaw.length).toBe(seenByKoa + 1);
      return comparableEvents(events);
    };
    const fast = await aborted(await serve(t.sandbox, '*', true));
    expect(fast).toBe(await aborted(await serve(t.sandbox, '*', false)));
    expect(fast).toContain('"status":400');
  });

  it('takes request ids from the app’s one sequence', async () => {
    const fast = await serve(t.sandbox, '*', true);
    const ids: string[] = [];
    for (const row of [ROWS[0], ROWS.find((each) => each.method === 'GET'), ROWS[0], ROWS[7]] as Row[]) {
      const sent = await send(fast, row);
      const request = sent.events.find((event) => event.type === 'request');
      if (request?.type === 'request') ids.push(request.requestId);
    }
    expect(ids).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('issues a token that verifies against the JWKS and reads', async () => {
    const fast = await serve(t.sandbox, '*', true);
    const sent = await send(fast, ROWS[0] as Row);
    expect(sent.viaKoa).toBe(false);
    const token = (JSON.parse(sent.answer.body) as { access_token: string }).access_token;
    const jwks = createLocalJWKSet(t.sandbox.auth.keys.jwks());
    const { payload } = await jwtVerify(token, jwks, { issuer: 'urn:patients-sandbox:partner', audience: 'urn:patients-sandbox:fhir-gateway', currentDate: new Date(t.clock.now()) });
    expect(payload).toMatchObject({ sub: DEMO_CLIENT.id, tid: STU3_TENANT });
    const read = await t.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${token}`);
    expect(read.status).toBe(200);
  });
});
