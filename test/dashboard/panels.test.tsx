import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { TenantsPanel } from '../../src/dashboard/TenantsPanel.js';
import { backendKey } from '../support/backendServicesClient.js';
import { controlFixture, DEMO_SECRET, LAKEVIEW, NORTHSIDE, renderDashboard, requestEvent } from './dashboardFixture.js';

afterEach(() => cleanup());

describe('dashboard panels', () => {
  it('header: base URL per FHIR version, token URL, demo client with the secret masked, uptime and rate', async () => {
    const fixture = await controlFixture();
    fixture.clock.advance(65_000);
    const { waitForFrame } = renderDashboard(fixture);
    const frame = await waitForFrame((f) => f.includes('up 00:01:05'));
    expect(frame).toContain('STU3 http://127.0.0.1:8080/fhir/stu3');
    expect(frame).toContain('DSTU2 http://127.0.0.1:8080/fhir/dstu2');
    expect(frame).toContain('token http://127.0.0.1:8080/oauth2/token');
    expect(frame).toContain('creds demo-client:••••••••');
    expect(frame).not.toContain(DEMO_SECRET);
    expect(frame).toMatch(/0\.0 req\/s/);
  });

  it('header: with an R4 gateway too, the base is written once and the versions after it when the URLs do not fit', async () => {
    const fixture = await controlFixture();
    const { waitForFrame } = renderDashboard(fixture, { info: { fhirVersions: ['dstu2', 'stu3', 'r4'] } });
    const frame = await waitForFrame((f) => f.includes('FHIR '));
    expect(frame).toContain('FHIR http://127.0.0.1:8080/fhir/ + dstu2 · stu3 · r4');
    const narrowOrigin = renderDashboard(fixture, { info: { fhirVersions: ['r4'] } });
    expect(await narrowOrigin.waitForFrame((f) => f.includes('R4 '))).toContain('R4 http://127.0.0.1:8080/fhir/r4');
  });

  it('tenants: an R4 tenant shows its version like the others', () => {
    const row = { id: 'e8f9a0b1-c2d3-4e4f-8a5b-6c7d8e9f0a80', name: 'Harborview', fhirVersion: 'r4' as const, patients: 13, ready: true, seeding: { done: 13, total: 13 }, faults: [], traffic: undefined };
    const { lastFrame } = render(<TenantsPanel tenants={[row]} selected={0} width={100} maxRows={5} />);
    expect(lastFrame()).toMatch(/Harborview\s+e8f9a0b1\s+R4\s+13\s/);
  });

  it('header: requests per second over the last complete seconds', async () => {
    const fixture = await controlFixture();
    const { waitForFrame } = renderDashboard(fixture);
    for (let second = 0; second < 5; second++) {
      for (let i = 0; i < 20; i++) fixture.events.emit(requestEvent(fixture.clock));
      fixture.clock.advance(1000);
    }
    await waitForFrame((f) => f.includes('20.0 req/s'));
  });

  it('tenants: name, short GUID, version, patients, faults, p50/p95 and errors of the last minute', async () => {
    const fixture = await controlFixture();
    fixture.control.applyFaultPreset('tenant-outage', { tenantId: LAKEVIEW });
    const { waitForFrame } = renderDashboard(fixture);
    for (let i = 0; i < 100; i++) fixture.events.emit(requestEvent(fixture.clock, { ms: i < 50 ? 10 : i < 95 ? 100 : 2000 }));
    fixture.events.emit(requestEvent(fixture.clock, { status: 503, tenantId: LAKEVIEW, ms: 3 }));
    const frame = await waitForFrame((f) => /Lakeview.* 1$/m.test(f));
    const northside = frame.split('\n').find((line) => line.includes('Northside') && line.includes('3f8e2a10 '))!;
    expect(northside).toMatch(/Northside\s+3f8e2a10\s+STU3\s+1\s+–\s+1[01]ms\s+10[0-5]ms\s+0/);
    const lakeview = frame.split('\n').find((line) => line.includes('Lakeview'))!;
    expect(lakeview).toMatch(/Lakeview\s+c4d5e6f7\s+DSTU2\s+1\s+tenant-outage\s/);
    expect(lakeview).toMatch(/3\.0ms\s+3\.0ms\s+1$/);
    expect(frame).toContain(`scope for Northside: ${NORTHSIDE}`);
  });

  it('tenants: traffic older than a minute drops out of latency and errors', async () => {
    const fixture = await controlFixture();
    const { waitForFrame } = renderDashboard(fixture);
    fixture.events.emit(requestEvent(fixture.clock, { status: 500, ms: 40 }));
    await waitForFrame((f) => /3f8e2a10 .*40ms\s+1$/m.test(f));
    fixture.clock.advance(61_000);
    const frame = await waitForFrame((f) => /3f8e2a10 .*–\s+0$/m.test(f));
    expect(frame.split('\n').find((line) => line.includes('3f8e2a10 '))).toMatch(/–\s+–\s+0$/);
  });

  it('request log: time, method, path, tenant, status, ms and fault, newest last', async () => {
    const fixture = await controlFixture();
    const { waitForFrame } = renderDashboard(fixture);
    fixture.events.emit(requestEvent(fixture.clock, { path: '/fhir/stu3/Patient/first', ms: 4 }));
    fixture.events.emit(requestEvent(fixture.clock, { method: 'POST', path: '/fhir/stu3/Patient/_search', status: 503, ms: 1200, fault: 'dash-error-3f8e2a10' }));
    const frame = await waitForFrame((f) => f.includes('Patient/_search'));
    const lines = frame.split('\n');
    const first = lines.findIndex((line) => line.includes('Patient/first'));
    const second = lines.findIndex((line) => line.includes('Patient/_search'));
    expect(first).toBeGreaterThan(0);
    expect(second).toBe(first + 1);
    expect(lines[first]).toMatch(/^\d\d:\d\d:\d\d GET\s+\/fhir\/stu3\/Patient\/first\s+3f8e2a10 200\s+4\.0ms/);
    expect(lines[second]).toMatch(/POST\s+\/fhir\/stu3\/Patient\/_search\s+3f8e2a10 503\s+1\.2s dash-error$/);
  });

  it('request log: an upstream tenant\'s row shows the upstream\'s share of the time beside the total', async () => {
    const fixture = await controlFixture();
    const { waitForFrame } = renderDashboard(fixture);
    fixture.events.emit(requestEvent(fixture.clock, { path: '/fhir/r4/Patient/local', ms: 4 }));
    fixture.events.emit(requestEvent(fixture.clock, { path: '/fhir/r4/Patient/upstream', ms: 42, upstreamMs: 30 }));
    const frame = await waitForFrame((f) => f.includes('Patient/upstream'));
    expect(frame).toContain("↑ the upstream's share of ms");
    expect(frame.split('\n').find((line) => line.includes('Patient/upstream'))).toMatch(/42ms\s+↑30ms/);
    expect(frame.split('\n').find((line) => line.includes('Patient/local'))).not.toContain('↑');
  });

  it('request log: simulator notes and control changes appear as lines', async () => {
    const fixture = await controlFixture();
    const { waitForFrame } = renderDashboard(fixture);
    fixture.events.emit({ type: 'simulator', at: fixture.clock.now(), action: 'token-refreshed', message: 'token refreshed (it expired)', tenantId: NORTHSIDE });
    fixture.control.setTokenLifetime(30);
    const frame = await waitForFrame((f) => f.includes('new tokens live 30s') && f.includes('token refreshed'));
    expect(frame).toMatch(/sim\s+3f8e2a10 token refreshed \(it expired\)/);
  });

  it('request log: the newest lines stay visible when more arrive than fit', async () => {
    const fixture = await controlFixture();
    const { waitForFrame } = renderDashboard(fixture);
    for (let i = 0; i < 200; i++) fixture.events.emit(requestEvent(fixture.clock, { path: `/fhir/stu3/Patient/p${i}` }));
    const frame = await waitForFrame((f) => f.includes('Patient/p199'));
    expect(frame).not.toContain('Patient/p100 ');
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
  });

  it('tokens: issued, active, expiring soon with a countdown, and the lifetime setting', async () => {
    const fixture = await controlFixture();
    fixture.control.setTokenLifetime(30);
    await fixture.issueToken(NORTHSIDE);
    fixture.control.setTokenLifetime(3600);
    await fixture.issueToken(LAKEVIEW);
    fixture.clock.advance(12_000);
    const { waitForFrame } = renderDashboard(fixture);
    const frame = await waitForFrame((f) => f.includes('Tokens'));
    expect(frame).toMatch(/Tokens issued 2 · active 2 · lifetime 3600s · expiring demo-client@3f8e2a10 in 18s/);
    fixture.clock.advance(10_000);
    await waitForFrame((f) => f.includes('demo-client@3f8e2a10 in 8s'));
    fixture.clock.advance(10_000);
    await waitForFrame((f) => /active 1 · lifetime 3600s · expiring none/.test(f));
  });

  it('clients: each registration with what it signs in with, secrets, keys and a JWKS URL', async () => {
    const fixture = await controlFixture();
    const keys = await Promise.all(['a', 'b'].map(async (kid) => (await backendKey('ES384', kid)).publicJwk));
    fixture.control.createClient({ id: 'backend-svc', keys, tenants: '*' });
    fixture.control.createClient({ id: 'url-svc', jwksUrl: 'https://keys.example.test/jwks.json', secret: 'url-svc-secret', tenants: '*' });
    const { waitForFrame } = renderDashboard(fixture);
    const frame = await waitForFrame((f) => f.includes('Clients'));
    expect(frame).toContain('Clients demo-client secret · backend-svc 2 keys · url-svc secret + url');
  });

  it('help bar: the keys, wrapped to the terminal width', async () => {
    const fixture = await controlFixture();
    const { waitForFrame } = renderDashboard(fixture);
    const frame = await waitForFrame((f) => f.includes('q quit'));
    for (const entry of ['↑/↓ tab tenant', 'l latency', 'e errors', 't token life', 'x expire', 'k rotate key', 'b client', 'K client keys', 'p preset', 'space pause', 'c clear', '? help']) {
      expect(frame).toContain(entry);
    }
    expect(Math.max(...frame.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
  });

  it('fits 80x24 (credentials move to their own line) and grows with the window', async () => {
    const fixture = await controlFixture();
    const { instance, waitForFrame, press } = renderDashboard(fixture, { info: { origin: 'http://127.0.0.1:65535' } });
    const resize = (columns: number, rows: number) => {
      Object.defineProperty(instance.stdout, 'columns', { value: columns, configurable: true });
      Object.defineProperty(instance.stdout, 'rows', { value: rows, configurable: true });
      instance.stdout.emit('resize');
    };
    for (let i = 0; i < 100; i++) fixture.events.emit(requestEvent(fixture.clock, { path: `/fhir/stu3/Patient/p${i}` }));
    const logLines = (frame: string) => frame.split('\n').filter((line) => /^\d\d:\d\d:\d\d GET/.test(line)).length;
    const width = (frame: string) => Math.max(...frame.split('\n').map((line) => [...line].length));

    resize(80, 24);
    await waitForFrame((f) => f.includes('oauth2/token  creds demo-client:••••••••'));
    await press('s');
    const small = await waitForFrame((f) => f.includes(`\ncreds demo-client:${DEMO_SECRET}`));
    expect(width(small)).toBeLessThanOrEqual(80);
    expect(small.split('\n').length).toBeLessThanOrEqual(23);
    expect(small).toContain('q quit');

    resize(140, 40);
    const large = await waitForFrame((f) => f.includes(`oauth2/token  creds demo-client:${DEMO_SECRET}`));
    expect(width(large)).toBeGreaterThan(80);
    expect(large.split('\n').length).toBeLessThanOrEqual(39);
    expect(logLines(large)).toBeGreaterThan(logLines(small) + 10);
  });

  it('without colours (NO_COLOR) the frame carries no colour codes but the same text', async () => {
    const fixture = await controlFixture();
    const { instance, waitForFrame } = renderDashboard(fixture, { colours: false });
    fixture.events.emit(requestEvent(fixture.clock, { status: 503 }));
    await waitForFrame((f) => f.includes('503'));
    const raw = instance.lastFrame() ?? '';
    expect(raw).not.toMatch(/\u001b\[(3\d|9\d)m/);
  });
});
