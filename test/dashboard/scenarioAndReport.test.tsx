import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { controlFixture, KEYS, NORTHSIDE, renderDashboard, requestEvent } from './dashboardFixture.js';

afterEach(() => cleanup());

const scenarioLine = (frame: string) => frame.split('\n').find((line) => line.startsWith('Scenario ')) ?? '';

describe('scenarios and the report card on the dashboard', () => {
  it('n chooses a scenario, enter starts it; the line shows its next step and the time left, N stops it', async () => {
    const fixture = await controlFixture();
    const { waitForFrame, press, frame } = renderDashboard(fixture);
    await waitForFrame((f) => f.includes('q quit'));
    expect(scenarioLine(frame())).toBe('');
    await press('n');
    await waitForFrame((f) => f.includes('scenario token-storm (enter starts it)'));
    await press('n');
    await waitForFrame((f) => f.includes('scenario bad-day (enter starts it)'));
    await press(KEYS.enter);
    const started = await waitForFrame((f) => scenarioLine(f).includes('bad-day'));
    expect(scenarioLine(started)).toBe('Scenario bad-day · next 10s apply preset throttled in 10s · 2m00s left');
    expect(fixture.control.scenarioStatus()?.state).toBe('running');
    expect(fixture.control.listFaultRules().map((rule) => rule.name)).toEqual(['bad-day/slow-search']);
    // The scenario's clock is the sandbox's: moving it fires the step and counts down.
    fixture.clock.advance(12_000);
    const later = await waitForFrame((f) => scenarioLine(f).includes('1m48s left'));
    expect(scenarioLine(later)).toBe('Scenario bad-day · next 40s remove rule throttled/429 in 28s · 1m48s left');
    expect(fixture.control.listFaultRules().map((rule) => rule.name)).toEqual(['bad-day/slow-search', 'throttled/429']);
    await press('N');
    const stopped = await waitForFrame((f) => scenarioLine(f).includes('stopped'));
    expect(scenarioLine(stopped)).toBe('Scenario bad-day · stopped');
    expect(stopped).toContain('scenario bad-day stopped');
  });

  it('r shows each client graded from its traffic, and hides it again', async () => {
    const fixture = await controlFixture();
    const { waitForFrame, press } = renderDashboard(fixture);
    await waitForFrame((f) => f.includes('q quit'));
    // A client that follows no link: an offset of its own.
    fixture.events.emit(requestEvent(fixture.clock, { requestId: 'r7', clientId: 'demo-client', fhirVersion: 'stu3', route: '/fhir/:version/:type', path: '/fhir/stu3/Patient', query: '_offset=20', accept: 'application/fhir+json', tenantId: NORTHSIDE }));
    await press('r');
    const report = await waitForFrame((f) => f.includes('Report card (r closes)'));
    expect(report).toContain('1 required failed');
    expect(report).toContain('demo-client · 1 requests');
    expect(report).toMatch(/✗ paging\s+\* 1 page request\(s\) not from a next link as given · r7/);
    expect(report).toMatch(/– timeouts\s+not observed/);
    expect(report).toMatch(/✓ correctness\s+\* 1 requests to the right gateway/);
    await press('r');
    await waitForFrame((f) => !f.includes('Report card') && f.includes('Tenants'));
  });

  it('the help names the new keys and the scenarios', async () => {
    const fixture = await controlFixture();
    const { waitForFrame, press } = renderDashboard(fixture);
    await press('?');
    const help = await waitForFrame((f) => f.includes('Keys (? closes)'));
    expect(help).toContain('start the chosen scenario');
    expect(help).toContain('scenarios token-storm, bad-day, broken-paging');
    expect(help.split('\n').length).toBeLessThanOrEqual(23);
  });
});
