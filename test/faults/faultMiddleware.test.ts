import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import Router from '@koa/router';
import Koa from 'koa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaultEngine } from '../../src/faults/FaultEngine.js';
import type { FaultInteraction, FaultTarget } from '../../src/faults/types.js';
import { EventBus } from '../../src/events/eventBus.js';
import { faultMiddleware } from '../../src/http/faultMiddleware.js';
import { ManualClock } from '../../src/lib/clock.js';

const TENANT = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';
const MAX_HANG_MS = 1_500;

interface RawResult {
  status?: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  error?: NodeJS.ErrnoException;
}

/** A Node http GET on a fresh connection that reports whatever happened: status, bytes received, socket errors. */
function rawGet(url: string, timeoutMs = 5_000): Promise<RawResult> {
  return new Promise((resolve) => {
    const result: RawResult = { headers: {}, body: '' };
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      result.status = response.statusCode;
      result.headers = response.headers;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (result.body += chunk));
      response.on('error', (error: NodeJS.ErrnoException) => (result.error ??= error));
      response.on('close', () => resolve(result));
    });
    request.on('timeout', () => request.destroy(new Error('client timeout')));
    request.on('error', (error: NodeJS.ErrnoException) => {
      result.error ??= error;
      resolve(result);
    });
  });
}

describe('faultMiddleware on a real port', () => {
  const engine = new FaultEngine({ seed: 3, events: new EventBus(), clock: new ManualClock() });
  const sleeps: number[] = [];
  const recorded: Array<string | undefined> = [];
  let exposeHeader = true;
  let server: http.Server;
  let base = '';

  function target(interaction: FaultInteraction, extra: Partial<FaultTarget> = {}): Koa.Middleware {
    return async (ctx, next) => {
      ctx.state.faultTarget = { interaction, tenantId: TENANT, ...extra } satisfies FaultTarget;
      await next();
    };
  }

  /** Two pages of two patients, three in all: the first page has a next link. */
  function bundle(ctx: Koa.Context, version: string): object {
    // Koa 3's ctx.origin is the Origin request header, not this server.
    const origin = `${ctx.protocol}://${ctx.host}`;
    const self = `${origin}/fhir/${version}/Patient?_count=2`;
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: 3,
      link: [
        { relation: 'self', url: self },
        { relation: 'next', url: `${self}&_offset=2` },
      ],
      entry: [
        { fullUrl: `${origin}/fhir/${version}/Patient/a`, resource: { resourceType: 'Patient', id: 'a' }, search: { mode: 'match' } },
        { fullUrl: `${origin}/fhir/${version}/Patient/b`, resource: { resourceType: 'Patient', id: 'b' }, search: { mode: 'match' } },
      ],
    };
  }

  beforeAll(async () => {
    const faults = faultMiddleware(engine, {
      exposeHeader: () => exposeHeader,
      maxHangMs: MAX_HANG_MS,
      sleep: (ms, signal) => {
        sleeps.push(ms);
        return delay(ms, undefined, { signal }).catch(() => undefined);
      },
    });
    const router = new Router();
    router.get('/fhir/stu3/Patient', target('search', { resourceType: 'Patient', fhirVersion: 'stu3' }), faults, (ctx) => {
      ctx.body = bundle(ctx, 'stu3');
      ctx.type = 'application/fhir+json';
    });
    // DSTU2 here answers with pre-serialised JSON, as the store does.
    router.get('/fhir/dstu2/Patient', target('search', { resourceType: 'Patient', fhirVersion: 'dstu2' }), faults, (ctx) => {
      ctx.type = 'application/json+fhir';
      ctx.body = JSON.stringify(bundle(ctx, 'dstu2'));
    });
    router.get('/fhir/stu3/Patient/:id', target('read', { resourceType: 'Patient', fhirVersion: 'stu3' }), faults, (ctx) => {
      ctx.body = { resourceType: 'Patient', id: ctx.params.id };
    });
    router.post('/oauth2/token', target('token'), faults, (ctx) => {
      ctx.body = { access_token: 'x.y.z', token_type: 'Bearer', expires_in: 3600 };
    });
    router.get('/healthz', faults, (ctx) => {
      ctx.body = { ok: true };
    });
    const app = new Koa();
    app.use(async (ctx, next) => {
      await next();
      recorded.push(typeof ctx.state.fault === 'string' ? ctx.state.fault : undefined);
    });
    app.use(router.routes());
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    engine.clear();
    exposeHeader = true;
    sleeps.length = 0;
    recorded.length = 0;
  });

  const url = (path: string): string => `${base}${path}`;

  it('passes requests through untouched when no rule matches', async () => {
    engine.add({ name: 'other-tenant', match: { tenantId: 'someone-else' }, effect: { error: { status: 500 } } });
    const response = await fetch(url('/fhir/stu3/Patient'));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-sandbox-fault')).toBeNull();
    expect(await response.json()).toMatchObject({ resourceType: 'Bundle', total: 3 });
    expect(recorded).toEqual([undefined]);
  });

  it('leaves routes that set no fault target alone', async () => {
    engine.add({ name: 'everything', effect: { error: { status: 500 } } });
    expect((await fetch(url('/healthz'))).status).toBe(200);
  });

  it.each([
    [500, 'exception'],
    [502, 'exception'],
    [503, 'transient'],
    [504, 'timeout'],
  ])('answers %i with an OperationOutcome as the FHIR server would', async (status, code) => {
    engine.add({ name: `fail-${status}`, effect: { error: { status } } });
    const response = await fetch(url('/fhir/stu3/Patient'));
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    expect(response.headers.get('x-sandbox-fault')).toBe(`fail-${status}`);
    const outcome = (await response.json()) as { resourceType: string; issue: Array<{ severity: string; code: string }> };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]).toMatchObject({ severity: 'error', code });
    expect(recorded).toEqual([`fail-${status}`]);
  });

  it('uses the DSTU2 media type on DSTU2 routes and a custom message when given', async () => {
    engine.add({ name: 'down', effect: { error: { status: 503, retryAfterSeconds: 12, message: 'EHR maintenance window' } } });
    const response = await fetch(url('/fhir/dstu2/Patient'));
    expect(response.headers.get('content-type')).toBe('application/json+fhir; charset=utf-8');
    expect(response.headers.get('retry-after')).toBe('12');
    expect(await response.json()).toMatchObject({ issue: [{ diagnostics: 'EHR maintenance window' }] });
  });

  it('throttles with 429 and Retry-After (default 1 s, or as configured)', async () => {
    engine.add({ name: 'throttle', effect: { error: { status: 429 } } });
    let response = await fetch(url('/fhir/stu3/Patient/a'));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ issue: [{ code: 'throttled' }] });
    engine.update('throttle', { effect: { error: { status: 429, retryAfterSeconds: 7 } } });
    response = await fetch(url('/fhir/stu3/Patient/a'));
    expect(response.headers.get('retry-after')).toBe('7');
  });

  it('refuses a valid token with 401 invalid_token', async () => {
    engine.add({ name: 'churn', effect: { error: { status: 401 } } });
    const response = await fetch(url('/fhir/stu3/Patient/a'));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(await response.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
    // The token endpoint itself is never answered with invalid_token.
    expect((await fetch(url('/oauth2/token'), { method: 'POST' })).status).toBe(200);
  });

  it('answers the token route with RFC 6749 JSON errors', async () => {
    engine.add({ name: 'auth-down', match: { interaction: 'token' }, effect: { error: { status: 503 } } });
    let response = await fetch(url('/oauth2/token'), { method: 'POST' });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    engine.update('auth-down', { effect: { error: { status: 500 } } });
    response = await fetch(url('/oauth2/token'), { method: 'POST' });
    expect(await response.json()).toMatchObject({ error: 'server_error' });
  });

  it('delays before answering, through the injected sleep', async () => {
    engine.add({ name: 'slow', effect: { latency: { distribution: 'fixed', ms: 25 } } });
    const response = await fetch(url('/fhir/stu3/Patient'));
    expect(response.status).toBe(200);
    expect(sleeps).toEqual([25]);
    expect(response.headers.get('x-sandbox-fault')).toBe('slow');
  });

  it('names both rules when latency and an error combine', async () => {
    engine.add({ name: 'slow', effect: { latency: { distribution: 'fixed', ms: 5 } } });
    engine.add({ name: 'fail', effect: { error: { status: 502 } } });
    const response = await fetch(url('/fhir/stu3/Patient'));
    expect(response.status).toBe(502);
    expect(response.headers.get('x-sandbox-fault')).toBe('slow,fail');
    expect(recorded).toEqual(['slow,fail']);
  });

  it('can stop naming the rule in a header while still recording it', async () => {
    engine.add({ name: 'fail', effect: { error: { status: 500 } } });
    exposeHeader = false;
    const response = await fetch(url('/fhir/stu3/Patient'));
    expect(response.status).toBe(500);
    expect(response.headers.get('x-sandbox-fault')).toBeNull();
    expect(recorded).toEqual(['fail']);
  });

  it('hangs until the client gives up', async () => {
    engine.add({ name: 'hang', effect: { transport: { kind: 'hang' } } });
    const started = performance.now();
    const failure = await fetch(url('/fhir/stu3/Patient'), { signal: AbortSignal.timeout(200) }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - started).toBeLessThan(MAX_HANG_MS);
    engine.clear();
    expect((await fetch(url('/fhir/stu3/Patient'))).status).toBe(200);
  });

  it('drops a hanging connection at the hang limit', async () => {
    engine.add({ name: 'hang', effect: { transport: { kind: 'hang', maxMs: 150 } } });
    const result = await rawGet(url('/fhir/stu3/Patient'));
    expect(result.status).toBeUndefined();
    expect(result.error?.code).toBe('ECONNRESET');
    expect(sleeps).toEqual([150]);
  });

  it('resets the connection: the client sees ECONNRESET', async () => {
    engine.add({ name: 'reset', effect: { transport: { kind: 'reset' } } });
    const result = await rawGet(url('/fhir/stu3/Patient'));
    expect(result.status).toBeUndefined();
    expect(result.error?.code).toBe('ECONNRESET');
    const failure = await fetch(url('/fhir/stu3/Patient')).catch((error: unknown) => error);
    expect(failure).toMatchObject({ message: 'fetch failed' });
    expect((failure as { cause?: { code?: string } }).cause?.code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(recorded).toEqual(['reset', 'reset']);
  });

  it('closes the connection without a byte for an empty reply', async () => {
    engine.add({ name: 'empty', effect: { transport: { kind: 'empty-reply' } } });
    const result = await rawGet(url('/fhir/stu3/Patient'));
    expect(result.status).toBeUndefined();
    expect(result.body).toBe('');
    expect(result.error?.message).toBe('socket hang up');
  });

  it('sends headers and half the body, then drops the connection', async () => {
    engine.add({ name: 'half', effect: { transport: { kind: 'truncate', keepFraction: 0.5 } } });
    const result = await rawGet(url('/fhir/stu3/Patient'));
    expect(result.status).toBe(200);
    expect(result.headers['x-sandbox-fault']).toBe('half');
    const promised = Number(result.headers['content-length']);
    expect(result.body.length).toBe(Math.floor(promised / 2));
    expect(() => JSON.parse(result.body)).toThrow(SyntaxError);
    expect(result.error?.code).toBe('ECONNRESET');
  });

  it('serves malformed JSON with valid headers', async () => {
    engine.add({ name: 'garbled', effect: { response: { kind: 'malformed-json' } } });
    for (const path of ['/fhir/stu3/Patient', '/fhir/dstu2/Patient']) {
      const response = await fetch(url(path));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/json/);
      const text = await response.text();
      expect(text.length).toBeGreaterThan(100);
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
    }
  });

  it('serves an HTML page instead of JSON', async () => {
    engine.add({ name: 'portal', effect: { response: { kind: 'wrong-content-type' } } });
    const response = await fetch(url('/fhir/stu3/Patient'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it('can mislabel the JSON body instead', async () => {
    engine.add({ name: 'mislabel', effect: { response: { kind: 'wrong-content-type', contentType: 'text/plain', replaceBody: false } } });
    const response = await fetch(url('/fhir/stu3/Patient/a'));
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.json()).toEqual({ resourceType: 'Patient', id: 'a' });
  });

  it('serves a next link that 404s', async () => {
    engine.add({ name: 'bad-next', effect: { response: { kind: 'broken-next-link', mode: 'not-found' } } });
    for (const version of ['stu3', 'dstu2']) {
      const page = (await (await fetch(url(`/fhir/${version}/Patient`))).json()) as { link: Array<{ relation: string; url: string }> };
      const next = page.link.find((link) => link.relation === 'next')?.url ?? '';
      expect(next.startsWith(`${base}/fhir/${version}/Patient?`)).toBe(true);
      engine.clear();
      const followed = await fetch(next);
      expect(followed.status).toBe(404);
      expect(await followed.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
      expect(followed.headers.get('x-sandbox-fault')).toBe('bad-next');
      engine.add({ name: 'bad-next', effect: { response: { kind: 'broken-next-link', mode: 'not-found' } } });
    }
  });

  it('serves a next link past the end that leads to an empty page', async () => {
    engine.add({ name: 'past-end', effect: { response: { kind: 'broken-next-link', mode: 'past-end' } } });
    const page = (await (await fetch(url('/fhir/stu3/Patient'))).json()) as { link: Array<{ relation: string; url: string }> };
    const next = page.link.find((link) => link.relation === 'next')?.url ?? '';
    const followed = await fetch(next);
    expect(followed.status).toBe(200);
    const empty = (await followed.json()) as { resourceType: string; total: number; entry?: unknown[]; link: unknown[] };
    expect(empty).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 3 });
    expect(empty.entry).toBeUndefined();
    expect(empty.link).not.toContainEqual(expect.objectContaining({ relation: 'next' }));
  });

  it('serves a Bundle whose total disagrees with its entries', async () => {
    engine.add({ name: 'miscount', effect: { response: { kind: 'total-mismatch', delta: -2 } } });
    const page = (await (await fetch(url('/fhir/dstu2/Patient'))).json()) as { total: number; entry: unknown[] };
    expect(page.entry).toHaveLength(2);
    expect(page.total).toBe(1);
  });

  it('leaves a non-Bundle alone for Bundle faults and records nothing', async () => {
    engine.add({ name: 'miscount', match: { interaction: 'search' }, effect: { response: { kind: 'total-mismatch' } } });
    const response = await fetch(url('/oauth2/token'), { method: 'POST' });
    expect(await response.json()).toMatchObject({ token_type: 'Bearer' });
    expect(response.headers.get('x-sandbox-fault')).toBeNull();
    expect(recorded).toEqual([undefined]);
  });
});
