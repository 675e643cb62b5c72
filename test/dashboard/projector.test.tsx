import { PassThrough } from 'node:stream';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { statusLine } from '../../src/dashboard/statusLine.js';
import { takeOverScreen } from '../../src/dashboard/terminalScreen.js';
import { controlFixture, KEYS, LAKEVIEW, NORTHSIDE, renderDashboard, requestEvent } from './dashboardFixture.js';

afterEach(() => cleanup());

// ink-testing-library's terminal reports no height: the dashboard then assumes 24 rows.
const ROWS = 24;
const statusOf = (frame: string) => {
  const lines = frame.split('\n');
  return lines[lines.findIndex((line) => line.startsWith('↑/↓')) - 1] ?? '';
};

describe('the dashboard a trainer can project', () => {
  it('fills the terminal height: the log takes the space and the key bar sits at the bottom', async () => {
    const fixture = await controlFixture();
    const { waitForFrame } = renderDashboard(fixture);
    fixture.events.emit(requestEvent(fixture.clock, { path: '/fhir/stu3/Patient/only-one' }));
    const frame = await waitForFrame((f) => f.includes('Patient/only-one'));
    const lines = frame.split('\n');
    // One row short of the terminal, so Ink never has to clear the whole screen per frame.
    expect(lines).toHaveLength(ROWS - 1);
    expect(lines.at(-1)).toContain('q quit');
    expect(lines[0]).toMatch(/^patients-sandbox /);
  });

  it('starts drawing at the top of the alternate screen, not under the banner', () => {
    const stdout = Object.assign(new PassThrough(), { columns: 80, rows: 24 });
    let written = '';
    stdout.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const screen = takeOverScreen(stdout as unknown as NodeJS.WriteStream, new PassThrough() as unknown as NodeJS.ReadStream);
    screen.restore();
    expect(written.startsWith('\u001b[?1049h\u001b[H\u001b[2J')).toBe(true);
  });

  it('says "ready" only when every tenant is seeded, and shows seeding progress before', async () => {
    const fixture = await controlFixture();
    const lakeview = fixture.tenants.get(LAKEVIEW)!;
    lakeview.ready = false;
    lakeview.seeded = 40;
    lakeview.target = 100;
    const { waitForFrame } = renderDashboard(fixture);
    const seeding = await waitForFrame((f) => f.includes('q quit'));
    expect(statusOf(seeding)).toMatch(/^seeding: \d+ of \d+ patients…/);
    expect(seeding).not.toMatch(/^ready$/m);
    lakeview.ready = true;
    const ready = await waitForFrame((f) => /^ready$/m.test(f));
    expect(statusOf(ready)).toBe('ready');
  });

  it('labels the window P50, P95 and ERR cover', async () => {
    const fixture = await controlFixture();
    const { waitForFrame } = renderDashboard(fixture);
    const frame = await waitForFrame((f) => f.includes('P95'));
    expect(frame).toMatch(/FAULTS\s+last 60 s:\s+P50\s+P95\s+ERR/);
  });

  it('shows the admin URL and a curl hint while running', async () => {
    const fixture = await controlFixture();
    const { waitForFrame } = renderDashboard(fixture);
    const frame = await waitForFrame((f) => f.includes('admin '));
    expect(frame).toContain('admin http://127.0.0.1:8080/admin/tenants  try curl -s http://127.0.0.1:8080/');
  });

  it('keeps one current status message: a chosen preset replaces the last result instead of adding to it', async () => {
    const fixture = await controlFixture();
    const { waitForFrame, press } = renderDashboard(fixture);
    await press('t');
    const afterKey = await waitForFrame((f) => f.includes('new tokens live 300s') && statusOf(f).includes('300'));
    expect(statusOf(afterKey)).toBe(statusOf(afterKey).trim());
    await press('p');
    const chosen = await waitForFrame((f) => statusOf(f).startsWith('preset slow-network'));
    expect(statusOf(chosen)).toBe('preset slow-network (enter applies)');
    await press(KEYS.enter);
    const applied = await waitForFrame((f) => statusOf(f).startsWith('preset slow-network:'));
    expect(statusOf(applied)).not.toContain('enter applies');
    expect(statusOf(applied)).not.toContain('300');
  });

  it('counts 401s that no tenant row can count, in the log title', async () => {
    const fixture = await controlFixture();
    const { waitForFrame } = renderDashboard(fixture);
    await waitForFrame((f) => f.includes('401 without tenant: 0'));
    fixture.events.emit(requestEvent(fixture.clock, { status: 401, tenantId: undefined, path: '/fhir/stu3/Patient' }));
    fixture.events.emit(requestEvent(fixture.clock, { status: 401, tenantId: undefined, path: '/fhir/stu3/Patient' }));
    // A 401 with a tenant (a fault, say) shows in that tenant's ERR column instead.
    fixture.events.emit(requestEvent(fixture.clock, { status: 401, tenantId: NORTHSIDE }));
    const frame = await waitForFrame((f) => f.includes('401 without tenant: 2'));
    expect(frame).toMatch(/Requests \(newest last\) · 401 without tenant: 2/);
  });
});

describe('statusLine', () => {
  it('picks one message: pending preset, then the last key result, then seeding, then ready', () => {
    const keyResult = { text: 'new tokens live 30s', tone: 'info' as const };
    const seeding = { done: 10, total: 20 };
    expect(statusLine({ pendingPreset: 'calm', keyResult, seeding })).toEqual({ text: 'preset calm (enter applies)', tone: 'info' });
    expect(statusLine({ pendingPreset: undefined, keyResult, seeding })).toEqual(keyResult);
    expect(statusLine({ pendingPreset: undefined, keyResult: undefined, seeding })).toEqual({ text: 'seeding: 10 of 20 patients…', tone: 'progress' });
    expect(statusLine({ pendingPreset: undefined, keyResult: undefined, seeding: undefined })).toEqual({ text: 'ready', tone: 'idle' });
  });
});
