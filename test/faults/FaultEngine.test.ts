import { describe, expect, it } from 'vitest';
import { FaultEngine } from '../../src/faults/FaultEngine.js';
import type { FaultDecision, FaultTarget } from '../../src/faults/types.js';
import { EventBus } from '../../src/events/eventBus.js';
import type { SandboxEvent } from '../../src/events/types.js';
import { ManualClock } from '../../src/lib/clock.js';

const TENANT_A = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';
const TENANT_B = '7a1c9d42-2e3f-4b5a-8c6d-1e2f3a4b5c60';

const searchA: FaultTarget = { interaction: 'search', tenantId: TENANT_A, resourceType: 'Patient', fhirVersion: 'stu3' };
const readB: FaultTarget = { interaction: 'read', tenantId: TENANT_B, resourceType: 'Observation', fhirVersion: 'dstu2' };
const token: FaultTarget = { interaction: 'token', tenantId: TENANT_A };
const metadata: FaultTarget = { interaction: 'metadata', fhirVersion: 'stu3' };

function engine(options: { seed?: number; clock?: ManualClock } = {}): { engine: FaultEngine; events: SandboxEvent[] } {
  const bus = new EventBus();
  const events: SandboxEvent[] = [];
  bus.subscribe((event) => events.push(event));
  const clock = options.clock ?? new ManualClock();
  return { engine: new FaultEngine({ seed: options.seed ?? 42, events: bus, clock }), events };
}

function outcomeRule(decision: FaultDecision | undefined): string | undefined {
  return decision?.outcome?.rule;
}

describe('FaultEngine matching', () => {
  it('decides nothing without rules and is idle', () => {
    const { engine: faults } = engine();
    expect(faults.idle).toBe(true);
    expect(faults.decide(searchA)).toBeUndefined();
  });

  it('matches on each field; an omitted field matches anything', () => {
    const { engine: faults } = engine();
    faults.add({ name: 'any', effect: { error: { status: 500 } } });
    expect(faults.idle).toBe(false);
    for (const target of [searchA, readB, token, metadata]) expect(outcomeRule(faults.decide(target))).toBe('any');

    faults.clear();
    faults.add({ name: 'tenant-b', match: { tenantId: TENANT_B }, effect: { error: { status: 500 } } });
    faults.add({ name: 'observations', match: { resourceType: ['Observation', 'Condition'] }, effect: { error: { status: 502 } } });
    faults.add({ name: 'searches', match: { interaction: 'search' }, effect: { error: { status: 503 } } });
    faults.add({ name: 'stu3', match: { fhirVersion: 'stu3' }, effect: { error: { status: 504 } } });
    expect(outcomeRule(faults.decide(readB))).toBe('tenant-b');
    expect(outcomeRule(faults.decide({ ...readB, tenantId: TENANT_A }))).toBe('observations');
    expect(outcomeRule(faults.decide(searchA))).toBe('searches');
    expect(outcomeRule(faults.decide(metadata))).toBe('stu3');
    // A rule that names a tenant does not match a request without one.
    expect(outcomeRule(faults.decide({ interaction: 'metadata' }))).toBeUndefined();
  });

  it('keeps invalid_token off the token endpoint and metadata, and paging faults on searches', () => {
    const { engine: faults } = engine();
    faults.add({ name: 'churn', effect: { error: { status: 401 } } });
    faults.add({ name: 'paging', effect: { response: { kind: 'broken-next-link' } } });
    expect(outcomeRule(faults.decide(token))).toBeUndefined();
    expect(outcomeRule(faults.decide(metadata))).toBeUndefined();
    expect(outcomeRule(faults.decide(readB))).toBe('churn');
    faults.remove('churn');
    expect(outcomeRule(faults.decide(searchA))).toBe('paging');
    expect(outcomeRule(faults.decide(readB))).toBeUndefined();
  });

  it('combines the first latency with the first outcome, in rule order', () => {
    const { engine: faults } = engine();
    faults.add({ name: 'slow', effect: { latency: { distribution: 'fixed', ms: 120 } } });
    faults.add({ name: 'slower', effect: { latency: { distribution: 'fixed', ms: 900 } } });
    faults.add({ name: 'fail', effect: { error: { status: 503 } } });
    faults.add({ name: 'reset', effect: { transport: { kind: 'reset' } } });
    expect(faults.decide(searchA)).toEqual({
      latency: { rule: 'slow', ms: 120 },
      outcome: { kind: 'error', rule: 'fail', error: { status: 503 } },
    });
  });

  it('ignores disabled rules and rules with probability 0', () => {
    const { engine: faults } = engine();
    faults.add({ name: 'off', enabled: false, effect: { error: { status: 500 } } });
    faults.add({ name: 'never', probability: 0, effect: { error: { status: 500 } } });
    expect(faults.idle).toBe(true);
    expect(faults.decide(searchA)).toBeUndefined();
    faults.update('off', { enabled: true });
    expect(outcomeRule(faults.decide(searchA))).toBe('off');
  });
});

describe('FaultEngine probability', () => {
  const rules = [
    { name: 'p30', probability: 0.3, effect: { error: { status: 503 } } },
    { name: 'jitter', probability: 0.5, effect: { latency: { distribution: 'uniform', min: 0, max: 1000 } } },
  ];
  const targets = [searchA, readB, token, metadata];

  function run(seed: number): Array<FaultDecision | undefined> {
    const { engine: faults } = engine({ seed });
    for (const rule of rules) faults.add(rule);
    return Array.from({ length: 400 }, (_, i) => faults.decide(targets[i % targets.length] ?? searchA));
  }

  it('two engines with the same seed and request order decide identically', () => {
    expect(run(7)).toEqual(run(7));
  });

  it('another seed gives other decisions', () => {
    expect(run(7)).not.toEqual(run(8));
  });

  it('fires at about the configured rate', () => {
    const fired = run(99).filter((d) => d?.outcome?.rule === 'p30').length;
    expect(fired / 400).toBeGreaterThan(0.22);
    expect(fired / 400).toBeLessThan(0.38);
  });
});

describe('FaultEngine schedules', () => {
  it('switches a tenant to 503 from t=10 s until t=20 s', () => {
    const clock = new ManualClock();
    const { engine: faults } = engine({ clock });
    faults.add({
      name: 'outage-window',
      match: { tenantId: TENANT_A },
      schedule: { fromSeconds: 10, untilSeconds: 20 },
      effect: { error: { status: 503 } },
    });
    expect(faults.decide(searchA)).toBeUndefined();
    clock.advance(9_999);
    expect(faults.decide(searchA)).toBeUndefined();
    clock.advance(1);
    expect(faults.decide(searchA)?.outcome).toEqual({ kind: 'error', rule: 'outage-window', error: { status: 503 } });
    clock.advance(5_000);
    expect(outcomeRule(faults.decide(searchA))).toBe('outage-window');
    expect(faults.decide(readB)).toBeUndefined();
    clock.advance(5_000);
    expect(faults.decide(searchA)).toBeUndefined();
  });

  it('counts from when each rule was added, and reports the absolute window', () => {
    const clock = new ManualClock();
    const { engine: faults } = engine({ clock });
    clock.advance(30_000);
    const addedAt = clock.now();
    faults.add({ name: 'early', schedule: { untilSeconds: 20 }, effect: { error: { status: 500 } } });
    faults.add({ name: 'late', schedule: { fromSeconds: 25 }, effect: { error: { status: 502 } } });
    expect(outcomeRule(faults.decide(searchA))).toBe('early');
    expect(faults.windowOf('early')).toEqual({ postedAtMs: addedAt, untilMs: addedAt + 20_000 });
    expect(faults.windowOf('late')).toEqual({ postedAtMs: addedAt, fromMs: addedAt + 25_000 });
    clock.advance(25_000);
    expect(outcomeRule(faults.decide(searchA))).toBe('late');
  });

  it('refuses rules and presets naming a tenant it is told does not exist', () => {
    const faults = new FaultEngine({ seed: 1, events: new EventBus(), clock: new ManualClock(), tenantExists: (id) => id === TENANT_A });
    expect(() => faults.add({ name: 'x', match: { tenantId: TENANT_B }, effect: { error: { status: 503 } } })).toThrow(`match.tenantId: no tenant "${TENANT_B}"`);
    expect(() => faults.applyPreset(`tenant-outage:${TENANT_B}`)).toThrow(`preset tenant-outage: tenantId: no tenant "${TENANT_B}"`);
    expect(faults.applyPreset(`tenant-outage:${TENANT_A}`).rules).toEqual([`tenant-outage/${TENANT_A}`]);
  });

  it('fires on every Nth matching request only', () => {
    const { engine: faults } = engine();
    faults.add({ name: 'third', match: { tenantId: TENANT_A }, schedule: { everyNth: 3 }, effect: { error: { status: 429 } } });
    const fired: boolean[] = [];
    for (let i = 0; i < 9; i++) {
      fired.push(outcomeRule(faults.decide(searchA)) === 'third');
      // Requests the rule does not match do not advance its count.
      faults.decide(readB);
    }
    expect(fired).toEqual([false, false, true, false, false, true, false, false, true]);
  });

  it('restarts the count when the rule changes, and keeps other rules counting', () => {
    const { engine: faults } = engine();
    faults.add({ name: 'second', match: { tenantId: TENANT_A }, schedule: { everyNth: 2 }, effect: { error: { status: 429 } } });
    faults.add({ name: 'other', match: { tenantId: TENANT_B }, schedule: { everyNth: 2 }, effect: { error: { status: 503 } } });
    expect(faults.decide(searchA)).toBeUndefined();
    expect(faults.decide(readB)).toBeUndefined();
    faults.update('second', { probability: 1 });
    expect(faults.decide(searchA)).toBeUndefined();
    expect(outcomeRule(faults.decide(searchA))).toBe('second');
    expect(outcomeRule(faults.decide(readB))).toBe('other');
  });
});

describe('FaultEngine rule management', () => {
  it('adds, lists, updates, removes and clears, emitting faults-changed each time', () => {
    const { engine: faults, events } = engine();
    faults.add({ name: 'a', effect: { error: { status: 500 } } });
    faults.add({ name: 'b', effect: { error: { status: 502 } } });
    expect(faults.list().map((r) => r.name)).toEqual(['a', 'b']);
    expect(faults.update('a', { probability: 0.5 }).probability).toBe(0.5);
    expect(faults.update('a', { name: 'renamed' }).name).toBe('renamed');
    expect(faults.update('renamed', { schedule: { everyNth: 2 } }).schedule).toEqual({ everyNth: 2 });
    expect(faults.update('renamed', { schedule: null }).schedule).toBeUndefined();
    faults.remove('b');
    expect(faults.list().map((r) => r.name)).toEqual(['renamed']);
    faults.clear();
    expect(faults.list()).toEqual([]);
    expect(events.map((e) => (e.type === 'faults-changed' ? e.detail : e.type))).toEqual([
      'added a',
      'added b',
      'updated a',
      'updated renamed',
      'updated renamed',
      'updated renamed',
      'removed b',
      'cleared all rules',
    ]);
  });

  it('refuses duplicates, unknown names and invalid patches with coded errors', () => {
    const { engine: faults } = engine();
    faults.add({ name: 'a', effect: { error: { status: 500 } } });
    faults.add({ name: 'b', effect: { error: { status: 500 } } });
    expect(() => faults.add({ name: 'a', effect: { error: { status: 502 } } })).toThrow(expect.objectContaining({ code: 'ERR_FAULT_RULE_DUPLICATE' }));
    expect(() => faults.update('a', { name: 'b' })).toThrow(expect.objectContaining({ code: 'ERR_FAULT_RULE_DUPLICATE' }));
    expect(() => faults.remove('zzz')).toThrow(expect.objectContaining({ code: 'ERR_FAULT_RULE_NOT_FOUND' }));
    expect(() => faults.update('a', { probability: 3 })).toThrow('probability: must be ≤ 1');
    expect(() => faults.update('a', null)).toThrow(expect.objectContaining({ code: 'ERR_FAULT_RULE_INVALID' }));
    expect(faults.get('a')?.probability).toBe(1);
  });
});
