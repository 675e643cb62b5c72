import { describe, expect, it } from 'vitest';
import { FaultEngine } from '../../src/faults/FaultEngine.js';
import { FAULT_PRESETS, findPreset, parsePresetReference } from '../../src/faults/presets.js';
import { EventBus } from '../../src/events/eventBus.js';
import type { SandboxEvent } from '../../src/events/types.js';
import { ManualClock } from '../../src/lib/clock.js';

const TENANT = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';

function engine(): { faults: FaultEngine; events: SandboxEvent[] } {
  const bus = new EventBus();
  const events: SandboxEvent[] = [];
  bus.subscribe((event) => events.push(event));
  return { faults: new FaultEngine({ seed: 1, events: bus, clock: new ManualClock() }), events };
}

describe('fault presets', () => {
  it('every preset builds valid rules whose names start with the preset name', () => {
    for (const preset of FAULT_PRESETS) {
      const rules = preset.rules({ tenantId: TENANT });
      for (const rule of rules) expect(rule.name.startsWith(`${preset.name}/`)).toBe(true);
      expect(rules.length === 0).toBe(preset.clearsAll);
    }
    expect(FAULT_PRESETS.map((p) => p.name)).toEqual(
      expect.arrayContaining(['slow-network', 'flaky-partner', 'throttled', 'token-churn', 'tenant-outage', 'calm']),
    );
  });

  it('applying twice replaces instead of duplicating; calm clears everything', () => {
    const { faults, events } = engine();
    faults.add({ name: 'mine', effect: { error: { status: 500 } } });
    faults.applyPreset('flaky-partner');
    const count = faults.list().length;
    faults.applyPreset('flaky-partner');
    expect(faults.list().length).toBe(count);
    expect(faults.applyPreset('calm')).toEqual({ preset: 'calm', rules: [], restoresAuth: true });
    expect(faults.list()).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'faults-changed', detail: 'preset calm: cleared all rules' });
  });

  it('tenant-outage takes the tenant from options or the reference and fails that tenant only', () => {
    const { faults } = engine();
    expect(faults.applyPreset(`tenant-outage:${TENANT}`).rules).toEqual([`tenant-outage/${TENANT}`]);
    expect(faults.decide({ interaction: 'search', tenantId: TENANT })?.outcome).toMatchObject({ error: { status: 503, retryAfterSeconds: 30 } });
    expect(faults.decide({ interaction: 'search', tenantId: 'other' })).toBeUndefined();
    expect(faults.decide({ interaction: 'token', tenantId: TENANT })).toBeUndefined();
    expect(faults.applyPreset('tenant-outage', { tenantId: 'other' }).rules).toEqual(['tenant-outage/other']);
    expect(() => faults.applyPreset('tenant-outage')).toThrow(expect.objectContaining({ code: 'ERR_FAULT_PRESET_OPTION', option: 'tenantId' }));
    expect(() => faults.applyPreset('tenant-outage:bad id!')).toThrow(expect.objectContaining({ code: 'ERR_FAULT_PRESET_OPTION' }));
  });

  it('token-churn returns its auth-side part for the caller to apply', () => {
    const { faults } = engine();
    expect(faults.applyPreset('token-churn')).toEqual({ preset: 'token-churn', rules: ['token-churn/401'], auth: { tokenLifetimeSeconds: 60 } });
  });

  it('throttled refuses every 4th request with Retry-After', () => {
    const { faults } = engine();
    faults.applyPreset('throttled');
    const statuses = Array.from({ length: 8 }, () => faults.decide({ interaction: 'read', tenantId: TENANT })?.outcome);
    expect(statuses.map((o) => (o?.kind === 'error' ? o.error.status : 200))).toEqual([200, 200, 200, 429, 200, 200, 200, 429]);
  });

  it('names unknown presets with the known ones', () => {
    expect(() => findPreset('chaos')).toThrow(/fault preset "chaos" not found \(known: slow-network, /);
    expect(parsePresetReference('slow-network')).toEqual({ name: 'slow-network', options: {} });
  });
});
