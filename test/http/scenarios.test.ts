import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

const JSON_TYPE = 'application/json';

// The timeline of the issue, posted whole.
const TIMELINE = {
  name: 'posted',
  description: 'a scenario posted at run time',
  steps: [
    { at: '10s', apply: 'preset', preset: 'throttled' },
    { at: '30s', action: 'expire-all' },
    { at: '45s', apply: 'rule', rule: { name: 'slow-search', match: { interaction: 'search' }, effect: { latency: { distribution: 'fixed', ms: 100 } } } },
    { at: '60s', action: 'calm' },
    { at: '90s', action: 'end' },
  ],
};

describe('scenarios over the admin API', () => {
  let sandbox: TestSandbox;
  let clock: ManualClock;
  const ruleNames = async () => ((await sandbox.http.get('/admin/faults')).body as { rules: Array<{ name: string }> }).rules.map((rule) => rule.name);

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    sandbox = await startTestSandbox({}, { clock });
  });
  afterEach(() => {
    if (sandbox.sandbox.control.scenarioStatus() !== undefined) sandbox.sandbox.control.stopScenario();
  });

  it('fires each step at its offset from the moment the scenario was posted, not from start', async () => {
    // The sandbox has been up an hour: offsets must not count from process start.
    clock.advance(3_600_000);
    const posted = clock.now();
    const run = await sandbox.http.post('/admin/scenarios/run').set('Content-Type', JSON_TYPE).send(TIMELINE);
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ name: 'posted', state: 'running', startedAt: new Date(posted).toISOString(), durationSeconds: 90, timeLeftSeconds: 90 });
    expect(run.body.next).toEqual({ index: 0, at: '10s', inSeconds: 10, step: 'apply preset throttled' });

    clock.advance(9_999);
    expect(await ruleNames()).toEqual([]);
    clock.advance(1);
    expect(await ruleNames()).toEqual(['throttled/429']);

    const token = await sandbox.token(STU3_TENANT);
    clock.advance(20_000);
    const refused = await sandbox.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${token}`);
    expect(refused.status).toBe(401);

    clock.advance(15_000);
    const rules = (await sandbox.http.get('/admin/faults')).body as { rules: Array<{ name: string; postedAt: string }> };
    // A rule a step posts counts its own schedule from that step.
    expect(rules.rules.find((rule) => rule.name === 'slow-search')?.postedAt).toBe(new Date(posted + 45_000).toISOString());

    const current = await sandbox.http.get('/admin/scenarios/current');
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ state: 'running', elapsedSeconds: 45, timeLeftSeconds: 45, next: { at: '60s', inSeconds: 15, step: 'calm (clear every rule)' } });
    expect(current.body.steps.map((step: { state: string }) => step.state)).toEqual(['applied', 'applied', 'applied', 'pending', 'pending']);

    clock.advance(15_000);
    expect(await ruleNames()).toEqual([]);
    clock.advance(30_000);
    const finished = await sandbox.http.get('/admin/scenarios/current');
    expect(finished.body).toMatchObject({ state: 'finished', timeLeftSeconds: 0, next: null });
    expect(finished.body.steps.at(-1)).toMatchObject({ at: '90s', step: 'end', state: 'applied', appliedAt: new Date(posted + 90_000).toISOString() });
  });

  it('runs a built-in scenario by name, lists them, and stops one: the rest of its steps are skipped', async () => {
    const list = await sandbox.http.get('/admin/scenarios');
    expect(list.status).toBe(200);
    expect(list.body.current).toBeNull();
    expect(list.body.scenarios.map((scenario: { name: string }) => scenario.name)).toEqual(['token-storm', 'bad-day', 'broken-paging']);

    const run = await sandbox.http.post('/admin/scenarios/run').set('Content-Type', JSON_TYPE).send({ name: 'broken-paging' });
    expect(run.status).toBe(201);
    expect(await ruleNames()).toEqual(['broken-paging/next-404', 'broken-paging/total']);
    const stopped = await sandbox.http.post('/admin/scenarios/stop').set('Content-Type', JSON_TYPE);
    expect(stopped.status).toBe(200);
    expect(stopped.body.state).toBe('stopped');
    expect(stopped.body.steps.map((step: { state: string }) => step.state)).toEqual(['applied', 'skipped', 'skipped', 'skipped', 'skipped']);
    clock.advance(60_000);
    expect(await ruleNames()).toEqual(['broken-paging/next-404', 'broken-paging/total']);
  });

  it('refuses what it cannot run, naming the field; 404 before any scenario', async () => {
    const none = await sandbox.http.get('/admin/scenarios/current');
    expect(none.status).toBe(404);
    expect(none.body.error).toBe('no-scenario');
    const stop = await sandbox.http.post('/admin/scenarios/stop').set('Content-Type', JSON_TYPE);
    expect(stop.status).toBe(404);
    const unknown = await sandbox.http.post('/admin/scenarios/run').set('Content-Type', JSON_TYPE).send({ name: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'ERR_SCENARIO_UNKNOWN' });
    const invalid = await sandbox.http.post('/admin/scenarios/run').set('Content-Type', JSON_TYPE).send({ name: 'x', steps: [{ at: '5s', apply: 'preset', preset: 'nope' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: 'ERR_SCENARIO_INVALID', field: 'steps[0].preset' });
    const tenant = await sandbox.http
      .post('/admin/scenarios/run')
      .set('Content-Type', JSON_TYPE)
      .send({ name: 'x', steps: [{ at: '5s', apply: 'preset', preset: 'tenant-outage', tenantId: '00000000-0000-4000-8000-000000000000' }] });
    expect(tenant.status).toBe(400);
    expect(tenant.body).toMatchObject({ error: 'ERR_SCENARIO_INVALID', field: 'steps[0].tenantId' });
    const text = await sandbox.http.post('/admin/scenarios/run').set('Content-Type', 'text/plain').send('{"name":"bad-day"}');
    expect(text.status).toBe(415);
  });
});

describe('a scenario started after other traffic', () => {
  it('draws the same faults for the same requests, whatever was drawn before it started', async () => {
    const statuses = async (warmUp: number): Promise<number[]> => {
      const { sandbox, http, token } = await startTestSandbox({}, { clock: new ManualClock(Date.UTC(2026, 0, 15, 9)) });
      const bearer = await token(STU3_TENANT);
      sandbox.control.addFaultRule({ name: 'coin', probability: 0.5, effect: { error: { status: 503 } } });
      for (let i = 0; i < warmUp; i++) await http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${bearer}`);
      await sandbox.control.runScenario({ name: 'coin-flips', steps: [{ at: 0, apply: 'rule', rule: { name: 'coin', probability: 0.5, effect: { error: { status: 503 } } } }] });
      const seen: number[] = [];
      for (let i = 0; i < 12; i++) seen.push((await http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${bearer}`)).status);
      return seen;
    };
    const fresh = await statuses(0);
    expect(new Set(fresh)).toEqual(new Set([200, 503]));
    expect(await statuses(5)).toEqual(fresh);
  });
});
