import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { backendKey } from '../support/backendServicesClient.js';
import { controlFixture, DEMO_SECRET, KEYS, LAKEVIEW, NORTHSIDE, renderDashboard, requestEvent, RIVERSIDE } from './dashboardFixture.js';

afterEach(() => cleanup());

const selectedLine = (frame: string) => frame.split('\n').find((line) => line.startsWith('▶')) ?? '';

describe('dashboard keys call the control plane', () => {
  it('↓, ↑ and tab select a tenant', async () => {
    const fixture = await controlFixture();
    const { waitForFrame, press } = renderDashboard(fixture);
    await waitForFrame((f) => selectedLine(f).includes('Northside'));
    await press(KEYS.down);
    await waitForFrame((f) => selectedLine(f).includes('Riverside') && f.includes(`scope for Riverside: ${RIVERSIDE}`));
    await press(KEYS.tab);
    await waitForFrame((f) => selectedLine(f).includes('Lakeview'));
    await press(KEYS.tab);
    await waitForFrame((f) => selectedLine(f).includes('Northside'));
    await press(KEYS.up);
    await waitForFrame((f) => selectedLine(f).includes('Northside'));
  });

  it('l cycles the selected tenant\'s latency rule: none → 200ms → 1s → lognormal 800ms → none', async () => {
    const fixture = await controlFixture();
    const { waitForFrame, press } = renderDashboard(fixture);
    const rule = () => fixture.control.listFaultRules().find((candidate) => candidate.name === 'dash-latency-7a1c9d42');
    await press(KEYS.down, 'l');
    await waitForFrame((f) => selectedLine(f).includes('lat 200ms'));
    expect(rule()).toMatchObject({ match: { tenantId: RIVERSIDE }, effect: { latency: { distribution: 'fixed', ms: 200 } } });
    expect(fixture.faults.decide({ interaction: 'read', tenantId: RIVERSIDE, fhirVersion: 'stu3' })?.latency).toEqual({ rule: 'dash-latency-7a1c9d42', ms: 200 });
    expect(fixture.faults.decide({ interaction: 'read', tenantId: NORTHSIDE, fhirVersion: 'stu3' })).toBeUndefined();
    await press('l');
    await waitForFrame((f) => f.includes('latency on 7a1c9d42: 1s'));
    expect(rule()?.effect.latency).toEqual({ distribution: 'fixed', ms: 1000 });
    await press('l');
    await waitForFrame((f) => selectedLine(f).includes('lat lognormal 800ms'));
    expect(rule()?.effect.latency).toMatchObject({ distribution: 'lognormal', median: 800 });
    await press('l');
    await waitForFrame((f) => f.includes('latency on 7a1c9d42: none'));
    expect(rule()).toBeUndefined();
  });

  it('e cycles the selected tenant\'s error rule: none → 503 → 429 → 500 → 502 (1 in 4) → none', async () => {
    const fixture = await controlFixture();
    const { waitForFrame, press } = renderDashboard(fixture);
    const rule = () => fixture.control.listFaultRules().find((candidate) => candidate.name === 'dash-error-3f8e2a10');
    await press('e');
    await waitForFrame((f) => selectedLine(f).includes('err 503'));
    expect(fixture.faults.decide({ interaction: 'search', tenantId: NORTHSIDE, fhirVersion: 'stu3' })?.outcome).toMatchObject({
      kind: 'error',
      rule: 'dash-error-3f8e2a10',
      error: { status: 503 },
    });
    // Tokens and metadata stay reachable, as in a hospital outage.
    expect(fixture.faults.decide({ interaction: 'token', tenantId: NORTHSIDE })).toBeUndefined();
    for (const [label, status] of [['429', 429], ['500', 500], ['502 (1 in 4)', 502]] as const) {
      await press('e');
      await waitForFrame((f) => f.includes(`errors on 3f8e2a10: ${label}`));
      expect(rule()?.effect.error?.status).toBe(status);
    }
    expect(rule()?.probability).toBe(0.25);
    await press('e');
    await waitForFrame((f) => f.includes('errors on 3f8e2a10: none'));
    expect(rule()).toBeUndefined();
  });

  it('t cycles the token lifetime 3600 → 300 → 30 → 5 → 3600', async () => {
    const fixture = await controlFixture();
    const { waitForFrame, press } = renderDashboard(fixture);
    for (const seconds of [300, 30, 5, 3600]) {
      await press('t');
      await waitForFrame((f) => f.includes(`lifetime ${seconds}s`));
      expect(fixture.control.tokenStatus().lifetimeSeconds).toBe(seconds);
    }
  });

  it('x expires every token issued so far', async () => {
    const fixture = await controlFixture();
    const { body } = await fixture.issueToken(NORTHSIDE);
    const { waitForFrame, press } = renderDashboard(fixture);
    await waitForFrame((f) => f.includes('active 1'));
    await press('x');
    await waitForFrame((f) => f.includes('active 0') && f.includes('every token issued before now is refused'));
    await expect(fixture.auth.verify(body.access_token)).rejects.toThrow();
  });

  it('k rotates the signing key without grace', async () => {
    const fixture = await controlFixture();
    const before = fixture.control.tokenStatus().signingKeyId;
    const { body } = await fixture.issueToken(NORTHSIDE);
    const { waitForFrame, press } = renderDashboard(fixture);
    await press('k');
    const after = await waitForFrame((f) => f.includes('signing key rotated to'));
    const kid = fixture.control.tokenStatus().signingKeyId;
    expect(kid).not.toBe(before);
    expect(after).toContain(kid);
    await expect(fixture.auth.verify(body.access_token)).rejects.toThrow();
  });

  it('p chooses the next preset and enter applies it; tenant-outage hits the selected tenant', async () => {
    const fixture = await controlFixture();
    const { waitForFrame, press } = renderDashboard(fixture);
    await press(KEYS.enter);
    await waitForFrame((f) => f.includes('press p to choose a preset first'));
    await press('p');
    await waitForFrame((f) => f.includes('preset slow-network (enter applies)'));
    await press(KEYS.enter);
    await waitForFrame((f) => f.includes('preset slow-network: slow-network/stall, slow-network/hop'));
    expect(fixture.control.listFaultRules().map((rule) => rule.name)).toEqual(['slow-network/stall', 'slow-network/hop']);

    const names = fixture.control.faultPresets().map((preset) => preset.name);
    await press(KEYS.tab, KEYS.tab, ...Array.from({ length: names.indexOf('tenant-outage') }, () => 'p'));
    await waitForFrame((f) => f.includes('preset tenant-outage (enter applies)') && selectedLine(f).includes('Lakeview'));
    await press(KEYS.enter);
    await waitForFrame((f) => /Lakeview .*tenant-outage, slow-network/.test(selectedLine(f)));
    expect(fixture.faults.decide({ interaction: 'read', tenantId: LAKEVIEW, fhirVersion: 'dstu2' })?.outcome).toMatchObject({ error: { status: 503 } });

    await press(...Array.from({ length: names.indexOf('calm') - names.indexOf('tenant-outage') }, () => 'p'), KEYS.enter);
    await waitForFrame((f) => f.includes('preset calm: all rules cleared'));
    expect(fixture.control.listFaultRules()).toEqual([]);
  });

  it('space pauses and resumes the log; c clears it and the admin API\'s request log', async () => {
    const fixture = await controlFixture();
    const { waitForFrame, press } = renderDashboard(fixture);
    fixture.events.emit(requestEvent(fixture.clock, { path: '/fhir/stu3/Patient/before' }));
    await waitForFrame((f) => f.includes('Patient/before'));
    await press(KEYS.space);
    await waitForFrame((f) => f.includes('PAUSED'));
    fixture.events.emit(requestEvent(fixture.clock, { path: '/fhir/stu3/Patient/during' }));
    const paused = await waitForFrame((f) => f.includes('PAUSED (+1 new)'));
    expect(paused).not.toContain('Patient/during');
    await press(KEYS.space);
    await waitForFrame((f) => f.includes('Patient/during') && !f.includes('PAUSED'));
    expect(fixture.control.recentRequests()).toHaveLength(2);
    await press('c');
    await waitForFrame((f) => f.includes('no requests yet') && f.includes('log cleared'));
    expect(fixture.control.recentRequests()).toEqual([]);
  });

  it('s shows and masks the demo secret', async () => {
    const fixture = await controlFixture();
    const { waitForFrame, press } = renderDashboard(fixture);
    await press('s');
    await waitForFrame((f) => f.includes(`creds demo-client:${DEMO_SECRET}`));
    await press('s');
    await waitForFrame((f) => f.includes('creds demo-client:••••••••'));
  });

  it('? shows every key and the presets in place of the log, and hides them again', async () => {
    const fixture = await controlFixture();
    const { waitForFrame, press } = renderDashboard(fixture);
    await press('?');
    const help = await waitForFrame((f) => f.includes('Keys (? closes)'));
    expect(help).toContain('expire every token issued so far');
    expect(help).toContain('presets  slow-network, flaky-partner');
    expect(help.split('\n').length).toBeLessThanOrEqual(23);
    await press('?');
    await waitForFrame((f) => f.includes('Requests (newest last)'));
  });

  it('b selects a client and K rotates its keys: the oldest key is retired once a newer one is registered', async () => {
    const fixture = await controlFixture();
    const [oldKey, newKey] = await Promise.all([backendKey('RS384', 'old'), backendKey('RS384', 'new')]);
    fixture.control.createClient({ id: 'backend-svc', keys: [oldKey.publicJwk], tenants: '*' });
    const { waitForFrame, press } = renderDashboard(fixture);
    await waitForFrame((f) => f.includes('backend-svc 1 key'));
    await press('K');
    await waitForFrame((f) => f.includes('demo-client has no keys (it signs in with a secret)'));
    await press('b', 'K');
    await waitForFrame((f) => f.includes('backend-svc has one key: register its new key first'));
    fixture.control.addClientKeys('backend-svc', [newKey.publicJwk]);
    await waitForFrame((f) => f.includes('backend-svc 2 keys'));
    await press('K');
    await waitForFrame((f) => f.includes('backend-svc: key old retired; new left') && f.includes('backend-svc 1 key'));
    expect(fixture.control.listClients().find((client) => client.id === 'backend-svc')?.keys.map((key) => key.kid)).toEqual(['new']);
  });

  it('K on a client with a JWKS URL fetches it now, and shows why when that fails', async () => {
    const fixture = await controlFixture();
    // A port that was just free: nothing listens there, so the fetch fails at once.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    fixture.control.createClient({ id: 'url-svc', jwksUrl: `http://127.0.0.1:${port}/jwks.json`, tenants: '*' });
    const { waitForFrame, press } = renderDashboard(fixture);
    await press('b', 'K');
    await waitForFrame((f) => /url-svc: its JWKS URL could not be fetched \(ECONNREFUSED\)/.test(f) && f.includes('url failing'));
  });

  it('q and ctrl+c ask the caller to shut down', async () => {
    const fixture = await controlFixture();
    const { quits, press, waitForFrame } = renderDashboard(fixture);
    await waitForFrame((f) => f.includes('Northside'));
    await press('q');
    expect(quits).toHaveLength(1);
    await press('\u0003');
    expect(quits).toHaveLength(2);
  });

  it('a refused change shows as a message instead of crashing', async () => {
    const fixture = await controlFixture();
    // An admin-API rule under the dashboard's name with a shape the dashboard does not know: "custom".
    fixture.control.addFaultRule({ name: 'dash-error-3f8e2a10', match: { tenantId: NORTHSIDE }, effect: { error: { status: 504 } } });
    fixture.control.addFaultRule({ name: 'dash-latency-3f8e2a10', match: { tenantId: NORTHSIDE }, effect: { latency: { distribution: 'fixed', ms: 5 } } });
    const { waitForFrame, press } = renderDashboard(fixture);
    await waitForFrame((f) => selectedLine(f).includes('err custom') && selectedLine(f).includes('lat custom'));
    fixture.control.removeFaultRule('dash-error-3f8e2a10');
    fixture.faults.remove = () => {
      throw new Error('rule store unavailable');
    };
    await press('l');
    await waitForFrame((f) => f.includes('rule store unavailable'));
  });
});
