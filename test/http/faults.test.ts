import { afterAll, describe, expect, it } from 'vitest';
import { listen } from '../../src/http/listen.js';
import { ManualClock } from '../../src/lib/clock.js';
import { STU3_OTHER_TENANT, STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

const read = (path = '/fhir/stu3/Patient/ruth-black') => path;

describe('faults through the admin API, seen by a client', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('refuses malformed rules with 400 naming the field, and keeps serving', async () => {
    const { http } = await startTestSandbox();
    const bad = await http.post('/admin/faults').send({ name: 'slow', effect: { latency: { distribution: 'uniform', min: 50, max: 10 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('effect.latency.max');
    const wild = await http.post('/admin/faults').send({ name: 'x', probability: 7, effect: { error: { status: 503 } } });
    expect(wild.status).toBe(400);
    expect(wild.body.field).toBe('probability');
    expect((await http.post('/admin/faults').send([])).status).toBe(400);
    expect((await http.get('/healthz')).status).toBe(200);
  });

  it('injects a tenant-scoped 503 with an OperationOutcome, names the rule, and can hide the name', async () => {
    const { http, token } = await startTestSandbox();
    const added = await http.post('/admin/faults').send({ name: 'northside-down', match: { tenantId: STU3_TENANT, interaction: ['read', 'search'] }, effect: { error: { status: 503, retryAfterSeconds: 7 } } });
    expect(added.status).toBe(201);
    const failed = await http.get(read()).set('Authorization', `Bearer ${await token(STU3_TENANT)}`);
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('7');
    expect(failed.headers['x-sandbox-fault']).toBe('northside-down');
    expect(JSON.parse(failed.text).resourceType).toBe('OperationOutcome');
    const other = await http.get('/fhir/stu3/Patient?_count=1').set('Authorization', `Bearer ${await token(STU3_OTHER_TENANT)}`);
    expect(other.status).toBe(200);

    expect((await http.patch('/admin/faults/settings').send({ exposeHeader: false })).status).toBe(200);
    const hidden = await http.get(read()).set('Authorization', `Bearer ${await token(STU3_TENANT)}`);
    expect(hidden.status).toBe(503);
    expect(hidden.headers['x-sandbox-fault']).toBeUndefined();

    const log = (await http.get('/admin/requests?limit=3')).body as Array<{ status: number; fault?: string }>;
    expect(log.at(-1)).toMatchObject({ status: 503, fault: 'northside-down' });

    expect((await http.delete('/admin/faults/northside-down')).status).toBe(204);
    expect((await http.get(read()).set('Authorization', `Bearer ${await token(STU3_TENANT)}`)).status).toBe(200);
  });

  it('a rule without an interaction also faults the token endpoint, in OAuth form', async () => {
    const { http } = await startTestSandbox();
    await http.post('/admin/faults').send({ name: 'partner-down', effect: { error: { status: 503 } } });
    const response = await http.post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: 'demo-client', client_secret: 'demo-secret-change-me', scope: STU3_TENANT });
    expect(response.status).toBe(503);
    expect(response.body.error).toBe('temporarily_unavailable');
  });

  it('shapes real search Bundles: total mismatch, broken next link, malformed JSON', async () => {
    const { http, token } = await startTestSandbox();
    const bearer = `Bearer ${await token()}`;
    await http.post('/admin/faults').send({ name: 'liar', match: { interaction: 'search' }, effect: { response: { kind: 'total-mismatch', delta: 5 } } });
    const honest = JSON.parse((await http.get('/fhir/stu3/Patient?_count=2').set('Authorization', bearer)).text);
    expect(honest.total).toBeGreaterThan(0);
    await http.delete('/admin/faults/liar');
    const truth = JSON.parse((await http.get('/fhir/stu3/Patient?_count=2').set('Authorization', bearer)).text).total as number;
    expect(honest.total).toBe(truth + 5);

    await http.post('/admin/faults').send({ name: 'dead-end', match: { interaction: 'search' }, effect: { response: { kind: 'broken-next-link', mode: 'not-found' } } });
    const page = JSON.parse((await http.get('/fhir/stu3/Patient?_count=2').set('Authorization', bearer)).text);
    const next = new URL(page.link.find((link: { relation: string }) => link.relation === 'next').url);
    await http.delete('/admin/faults/dead-end');
    const followed = await http.get(`${next.pathname}${next.search}`).set('Authorization', bearer);
    expect(followed.status).toBe(404);
    expect(JSON.parse(followed.text).resourceType).toBe('OperationOutcome');

    await http.post('/admin/faults').send({ name: 'garbled', match: { interaction: 'read' }, effect: { response: { kind: 'malformed-json' } } });
    // Read the body as raw text: supertest's own JSON parser would throw on it first.
    const garbled = await http
      .get('/fhir/stu3/Patient/ruth-black')
      .set('Authorization', bearer)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
    expect(garbled.status).toBe(200);
    expect(() => JSON.parse(garbled.body as string)).toThrow();
    expect(garbled.headers['x-sandbox-fault']).toBe('garbled');
  });

  it('applies presets, including one tenant outage, and calm clears them', async () => {
    const { http, token } = await startTestSandbox();
    const applied = await http.post('/admin/faults/presets/tenant-outage').send({ tenantId: STU3_OTHER_TENANT });
    expect(applied.status).toBe(200);
    expect((await http.get('/fhir/stu3/Patient?_count=1').set('Authorization', `Bearer ${await token(STU3_OTHER_TENANT)}`)).status).toBe(503);
    expect((await http.get(read()).set('Authorization', `Bearer ${await token(STU3_TENANT)}`)).status).toBe(200);
    expect((await http.post('/admin/faults/presets/calm').send({})).status).toBe(200);
    expect((await http.get('/fhir/stu3/Patient?_count=1').set('Authorization', `Bearer ${await token(STU3_OTHER_TENANT)}`)).status).toBe(200);
    expect((await http.post('/admin/faults/presets/no-such-preset').send({})).status).toBe(404);
  });

  it('switches a tenant to 503 and back on schedule (injectable clock)', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    const { http, token } = await startTestSandbox({}, { clock });
    await http.post('/admin/faults').send({ name: 'window', match: { tenantId: STU3_TENANT }, schedule: { fromSeconds: 10, untilSeconds: 20 }, effect: { error: { status: 503 } } });
    const bearer = `Bearer ${await token()}`;
    expect((await http.get(read()).set('Authorization', bearer)).status).toBe(200);
    clock.advance(12_000);
    expect((await http.get(read()).set('Authorization', bearer)).status).toBe(503);
    clock.advance(10_000);
    expect((await http.get(read()).set('Authorization', bearer)).status).toBe(200);
  });

  it('gives the same faults for the same seed and request order', async () => {
    const statuses = async () => {
      const { http, token } = await startTestSandbox();
      const bearer = `Bearer ${await token()}`;
      await http.post('/admin/faults').send({ name: 'coin', probability: 0.5, effect: { error: { status: 500 } } });
      const seen: number[] = [];
      for (let i = 0; i < 30; i++) seen.push((await http.get(read()).set('Authorization', bearer)).status);
      return seen;
    };
    const first = await statuses();
    expect(new Set(first)).toEqual(new Set([200, 500]));
    expect(await statuses()).toEqual(first);
  });

  it('a token issued with a 2-second lifetime works, then is refused with invalid_token', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    const { http, token } = await startTestSandbox({}, { clock });
    await http.patch('/admin/tokens/policy').send({ lifetimeSeconds: 2 });
    const bearer = `Bearer ${await token()}`;
    expect((await http.get(read()).set('Authorization', bearer)).status).toBe(200);
    clock.advance(2_000);
    const expired = await http.get(read()).set('Authorization', bearer);
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('key rotation with a grace period keeps old tokens until it ends, and the JWKS lists both keys meanwhile', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    const { http, token } = await startTestSandbox({}, { clock });
    const bearer = `Bearer ${await token()}`;
    await http.post('/admin/keys/rotate').send({ graceSeconds: 60 });
    expect((await http.get('/.well-known/jwks.json')).body.keys).toHaveLength(2);
    expect((await http.get(read()).set('Authorization', bearer)).status).toBe(200);
    clock.advance(61_000);
    expect((await http.get(read()).set('Authorization', bearer)).status).toBe(401);
    expect((await http.get('/.well-known/jwks.json')).body.keys).toHaveLength(1);
  });

  it('streams events over SSE', async () => {
    const { sandbox } = await startTestSandbox();
    const server = await listen(sandbox.app, 0, '127.0.0.1');
    closers.push(() => server.close(500));
    const controller = new AbortController();
    const response = await fetch(`${server.origin}/admin/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    await fetch(`${server.origin}/admin/tokens/expire-all`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
    let text = '';
    const deadline = Date.now() + 5_000;
    while (!text.includes('event: tokens-changed') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    controller.abort();
    expect(text).toContain('event: tokens-changed');
    expect(text).toContain('"change":"expired-all"');
  });
});
