import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/configError.js';
import { ManualClock } from '../../src/lib/clock.js';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { createSandbox } from '../../src/sandbox.js';
import { STU3_TENANT, startTestSandbox, testConfig } from '../support/testSandbox.js';

const START = Date.UTC(2026, 0, 15, 9);
const ruthBlack = '/fhir/stu3/Patient/ruth-black';

describe('fault schedules count from when the rule was posted', () => {
  it('a rule posted 20 s after start fires from its own offsets, and the answer shows the absolute window', async () => {
    const clock = new ManualClock(START);
    const { http, token } = await startTestSandbox({}, { clock });
    clock.advance(20_000);
    const posted = await http
      .post('/admin/faults')
      .send({ name: 'window', match: { tenantId: STU3_TENANT }, schedule: { fromSeconds: 10, untilSeconds: 20 }, effect: { error: { status: 503 } } });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({
      name: 'window',
      postedAt: new Date(START + 20_000).toISOString(),
      activeFrom: new Date(START + 30_000).toISOString(),
      activeUntil: new Date(START + 40_000).toISOString(),
    });
    const listed = (await http.get('/admin/faults')).body as { rules: Array<Record<string, unknown>> };
    expect(listed.rules[0]).toMatchObject({ activeFrom: new Date(START + 30_000).toISOString() });

    const bearer = `Bearer ${await token()}`;
    expect((await http.get(ruthBlack).set('Authorization', bearer)).status).toBe(200);
    clock.advance(10_000);
    const failing = await http.get(ruthBlack).set('Authorization', bearer);
    expect(failing.status).toBe(503);
    expect(JSON.parse(failing.text).resourceType).toBe('OperationOutcome');
    clock.advance(10_000);
    expect((await http.get(ruthBlack).set('Authorization', bearer)).status).toBe(200);
  });

  it('a PATCH that gives a new schedule counts it from the patch; other patches keep the posting time', async () => {
    const clock = new ManualClock(START);
    const { http } = await startTestSandbox({}, { clock });
    await http.post('/admin/faults').send({ name: 'later', schedule: { fromSeconds: 5 }, effect: { error: { status: 502 } } });
    clock.advance(60_000);
    const disabled = await http.patch('/admin/faults/later').send({ enabled: false });
    expect(disabled.body).toMatchObject({ postedAt: new Date(START).toISOString(), activeFrom: new Date(START + 5_000).toISOString() });
    const rescheduled = await http.patch('/admin/faults/later').send({ schedule: { fromSeconds: 5 } });
    expect(rescheduled.body).toMatchObject({ postedAt: new Date(START + 60_000).toISOString(), activeFrom: new Date(START + 65_000).toISOString() });
    expect(rescheduled.body.activeUntil).toBeUndefined();
  });

  it('profile rules count from start', async () => {
    const clock = new ManualClock(START);
    const { http } = await startTestSandbox({}, {
      clock,
      profile: { faults: { rules: [{ name: 'from-profile', schedule: { fromSeconds: 10, untilSeconds: 30 }, effect: { error: { status: 500 } } }] } },
    });
    clock.advance(45_000);
    const rule = ((await http.get('/admin/faults')).body as { rules: Array<Record<string, unknown>> }).rules[0];
    expect(rule).toMatchObject({ postedAt: new Date(START).toISOString(), activeFrom: new Date(START + 10_000).toISOString(), activeUntil: new Date(START + 30_000).toISOString() });
  });
});

describe('fault rule names with "/"', () => {
  it('DELETE and PATCH /admin/faults/<preset rule> work, and a second DELETE says not found', async () => {
    const { http } = await startTestSandbox();
    expect((await http.post('/admin/faults/presets/flaky-partner').send({})).status).toBe(200);
    const patched = await http.patch('/admin/faults/flaky-partner/503').send({ probability: 1 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'flaky-partner/503', probability: 1 });
    expect((await http.delete('/admin/faults/flaky-partner/503')).status).toBe(204);
    // The same name percent-encoded also works.
    expect((await http.delete('/admin/faults/flaky-partner%2F502')).status).toBe(204);
    const names = ((await http.get('/admin/faults')).body as { rules: Array<{ name: string }> }).rules.map((rule) => rule.name);
    expect(names).not.toContain('flaky-partner/503');
    expect(names).not.toContain('flaky-partner/502');
    expect(names).toContain('flaky-partner/504');

    const again = await http.delete('/admin/faults/flaky-partner/503');
    expect(again.status).toBe(404);
    expect(again.type).toBe('application/json');
    expect(again.body).toMatchObject({ error: 'ERR_FAULT_RULE_NOT_FOUND' });
    expect(again.body.message).toMatch(/not found/);
  });

  it('an unrouted admin path is a 404 whose body says not found', async () => {
    const { http } = await startTestSandbox();
    const response = await http.get('/admin/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'not-found' });
    expect(response.body.message).toMatch(/^not found/);
    expect((await http.post('/admin/faults/presets/no-such-preset').send({})).body.message).toMatch(/not found/);
  });
});

describe('rules and presets that name a tenant', () => {
  const unknownTenant = '00000000-0000-4000-8000-000000000000';

  it('tenant-outage with an unknown tenant id is refused with 400 naming the id', async () => {
    const { http } = await startTestSandbox();
    const response = await http.post('/admin/faults/presets/tenant-outage').send({ tenantId: unknownTenant });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'ERR_FAULT_PRESET_OPTION' });
    expect(response.body.message).toContain(unknownTenant);
    expect((await http.get('/admin/faults')).body.rules).toEqual([]);
    expect((await http.post('/admin/faults/presets/tenant-outage').send({ tenantId: STU3_TENANT })).status).toBe(200);
  });

  it('a rule matching an unknown tenant is refused, naming the field and the id', async () => {
    const { http } = await startTestSandbox();
    const response = await http.post('/admin/faults').send({ name: 'ghost', match: { tenantId: [STU3_TENANT, unknownTenant] }, effect: { error: { status: 503 } } });
    expect(response.status).toBe(400);
    expect(response.body.field).toBe('match.tenantId');
    expect(response.body.message).toContain(unknownTenant);
  });

  it('a profile naming an unknown tenant for tenant-outage is a config error naming the field', async () => {
    const config = testConfig({}, { faults: { presets: [`tenant-outage:${unknownTenant}`] } });
    const failure = await createSandbox(config, { clock: new ManualClock(START) }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toContain('faults.presets[0]');
    expect((failure as Error).message).toContain(unknownTenant);
  });

  it('the CLI exits 2 on such a profile, naming the file, field and id', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-outage-'));
    const file = path.join(dir, 'outage.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'outage',
        tenants: [{ id: STU3_TENANT, name: 'Northside', hospital: 'St. Mary', fhirVersion: 'stu3', patients: 2 }],
        clients: [{ id: 'app', secret: 'app-secret-1', tenants: '*' }],
        faults: { presets: [`tenant-outage:${unknownTenant}`] },
      }),
    );
    const result = spawnSync(process.execPath, [path.join(packageRoot, 'dist', 'cli.js'), '--profile', file, '--headless', '--port', '0'], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain('faults.presets[0]');
    expect(result.stderr).toContain(unknownTenant);
  });
});

describe('presets and the token lifetime', () => {
  it('calm restores the lifetime token-churn changed', async () => {
    const { http } = await startTestSandbox();
    const before = (await http.get('/admin/tokens')).body.lifetimeSeconds as number;
    expect(before).not.toBe(60);
    await http.post('/admin/faults/presets/token-churn').send({});
    expect((await http.get('/admin/tokens')).body.lifetimeSeconds).toBe(60);
    // Applying it twice still remembers the lifetime from before the first.
    await http.post('/admin/faults/presets/token-churn').send({});
    await http.post('/admin/faults/presets/calm').send({});
    expect((await http.get('/admin/tokens')).body.lifetimeSeconds).toBe(before);
    expect((await http.get('/admin/faults')).body.rules).toEqual([]);
  });

  it('calm leaves a lifetime the operator set after the preset', async () => {
    const { http } = await startTestSandbox();
    await http.post('/admin/faults/presets/token-churn').send({});
    await http.patch('/admin/tokens/policy').send({ lifetimeSeconds: 120 });
    await http.post('/admin/faults/presets/calm').send({});
    expect((await http.get('/admin/tokens')).body.lifetimeSeconds).toBe(120);
  });
});

describe('X-Sandbox-Fault', () => {
  it('names a rule once when it added latency and an error', async () => {
    const { http, token } = await startTestSandbox();
    await http.post('/admin/faults').send({ name: 'slow-then-down', match: { interaction: 'read' }, effect: { latency: { distribution: 'fixed', ms: 0 }, error: { status: 504 } } });
    const response = await http.get(ruthBlack).set('Authorization', `Bearer ${await token()}`);
    expect(response.status).toBe(504);
    expect(response.headers['x-sandbox-fault']).toBe('slow-then-down');
    const logged = ((await http.get('/admin/requests?limit=1')).body as Array<{ fault?: string }>)[0];
    expect(logged?.fault).toBe('slow-then-down');
  });
});
