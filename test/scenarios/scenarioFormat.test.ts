import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { packageRoot } from '../../src/lib/packageRoot.js';
import { builtInScenarios } from '../../src/scenarios/builtInScenarios.js';
import { durationMs, formatDuration } from '../../src/scenarios/duration.js';
import { loadScenario } from '../../src/scenarios/findScenario.js';
import { parseScenario } from '../../src/scenarios/parseScenario.js';
import { ScenarioError } from '../../src/scenarios/scenarioErrors.js';
import { scenarioJsonSchema } from '../../src/scenarios/scenarioJsonSchema.js';

function scenarioError(run: () => unknown): ScenarioError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario files', () => {
  it('takes the steps of the issue: a preset, expire-all, a rule, calm and end, at offsets', () => {
    const scenario = parseScenario(
      {
        name: 'mine',
        steps: [
          { at: '10s', apply: 'preset', preset: 'flaky-partner' },
          { at: '30s', action: 'expire-all' },
          { at: '45s', apply: 'rule', rule: { name: 'slow', effect: { latency: { distribution: 'fixed', ms: 200 } } } },
          { at: '60s', action: 'calm' },
          { at: '90s', action: 'end' },
        ],
      },
      'mine.json',
    );
    expect(scenario.steps.map((step) => durationMs(step.at))).toEqual([10_000, 30_000, 45_000, 60_000, 90_000]);
  });

  it.each([
    [{ name: 'x', steps: [{ at: '10s', apply: 'preset', preset: 'nope' }] }, 'steps[0].preset', /must be a preset: slow-network/],
    [{ name: 'x', steps: [{ at: '10s', apply: 'rule', rule: { name: 'a', effect: { latency: { distribution: 'fixed' } } } }] }, 'steps[0].rule.effect.latency.ms', /is required/],
    [{ name: 'x', steps: [{ at: 'soon', action: 'calm' }] }, 'steps[0].at', /must be a duration/],
    [{ name: 'x', steps: [{ at: '10s', action: 'dance' }] }, 'steps[0]', /action: must be one of expire-all, calm/],
    [{ name: 'x', steps: [{ at: '10s', action: 'calm', extra: 1 }] }, 'steps[0]', /Unrecognized key: "extra"/],
    [{ name: 'x', steps: [{ at: '10s', action: 'end' }, { at: '20s', action: 'calm' }] }, 'steps[1].at', /comes after the end step/],
    [{ name: 'x', steps: [] }, 'steps', /too small|>=|≥/i],
  ])('names the bad field: %#', (raw, field, message) => {
    const error = scenarioError(() => parseScenario(raw, 'bad.json'));
    expect(error.code).toBe('ERR_SCENARIO_INVALID');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^bad\.json: /);
    expect(error.message).toMatch(message);
  });

  it('reads durations and writes them back', () => {
    expect([durationMs('1m30s'), durationMs('500ms'), durationMs('2h'), durationMs(1.5)]).toEqual([90_000, 500, 7_200_000, 1500]);
    expect([formatDuration(90_000), formatDuration(500), formatDuration(120_000)]).toEqual(['1m30s', '0.5s', '2m']);
  });

  it('finds built-ins by name and reads files by path; an unknown name lists the known ones', () => {
    expect(builtInScenarios().map((scenario) => scenario.name)).toEqual(['token-storm', 'bad-day', 'broken-paging']);
    expect(loadScenario('bad-day', []).name).toBe('bad-day');
    expect(scenarioError(() => loadScenario('nope', [])).message).toBe('no scenario "nope" (known: token-storm, bad-day, broken-paging)');
    expect(scenarioError(() => loadScenario('./no/such/file.json', [])).message).toMatch(/is not readable JSON/);
  });

  it('publishes the JSON Schema it validates with, next to the profile schema', () => {
    const published = JSON.parse(readFileSync(path.join(packageRoot, 'profiles', 'scenario.schema.json'), 'utf8'));
    expect(published).toEqual(scenarioJsonSchema());
  });
});

describe('ManualClock as timers', () => {
  it('fires what falls due as it moves, in order, with the clock at each due time', () => {
    const clock = new ManualClock(0);
    const fired: Array<[string, number]> = [];
    clock.setTimer(300, () => fired.push(['c', clock.now()]));
    clock.setTimer(100, () => fired.push(['a', clock.now()]));
    const cancel = clock.setTimer(200, () => fired.push(['never', clock.now()]));
    clock.setTimer(100, () => fired.push(['b', clock.now()]));
    cancel();
    clock.advance(250);
    expect(fired).toEqual([['a', 100], ['b', 100]]);
    expect(clock.now()).toBe(250);
    clock.set(1000);
    expect(fired.at(-1)).toEqual(['c', 300]);
    expect(clock.pendingTimers).toBe(0);
  });
});
