import { describe, expect, it } from 'vitest';
import { FaultRuleInvalid } from '../../src/faults/errors.js';
import { parseFaultRule } from '../../src/faults/parseFaultRule.js';

function errorOf(input: unknown): FaultRuleInvalid {
  try {
    parseFaultRule(input);
  } catch (error) {
    if (error instanceof FaultRuleInvalid) return error;
    throw error;
  }
  throw new Error('expected the rule to be rejected');
}

const error503 = { error: { status: 503 } };

describe('parseFaultRule', () => {
  it('fills defaults: matches anything, always fires, enabled', () => {
    expect(parseFaultRule({ name: 'outage', effect: error503 })).toEqual({
      name: 'outage',
      match: {},
      effect: error503,
      probability: 1,
      enabled: true,
    });
  });

  it('keeps a full rule as written', () => {
    const rule = {
      name: 'stu3-slow-search',
      match: { tenantId: ['t1', 't2'], resourceType: 'Patient', interaction: 'search', fhirVersion: 'stu3' },
      effect: { latency: { distribution: 'lognormal', median: 200, spread: 0.4, cap: 2000 }, error: { status: 429, retryAfterSeconds: 5 } },
      probability: 0.25,
      schedule: { fromSeconds: 10, untilSeconds: 20, everyNth: 3 },
      enabled: false,
    };
    expect(parseFaultRule(rule)).toEqual(rule);
  });

  it('knows the three Bulk Data export interactions', () => {
    const match = { interaction: ['export-kickoff', 'export-status', 'export-file'], resourceType: 'Observation' };
    expect(parseFaultRule({ name: 'bulk', match, effect: error503 }).match).toEqual(match);
  });

  it.each([
    [{ name: 'x', effect: { latency: { distribution: 'uniform', min: 500, max: 100 } } }, 'effect.latency.max', 'effect.latency.max: must be ≥ min'],
    [{ name: 'x', effect: { latency: { distribution: 'fixed', ms: 10 * 60_000 + 1 } } }, 'effect.latency.ms', 'effect.latency.ms: must be ≤ 600000'],
    [{ name: 'x', effect: { latency: { distribution: 'normal', mean: -1, sd: 5 } } }, 'effect.latency.mean', 'effect.latency.mean: must be ≥ 0'],
    [{ name: 'x', effect: { latency: { distribution: 'gamma', ms: 1 } } }, 'effect.latency.distribution', undefined],
    [{ name: 'x', effect: { latency: { distribution: 'lognormal', median: 100, spread: 9 } } }, 'effect.latency.spread', undefined],
    [{ name: 'x', effect: {} }, 'effect', 'effect: needs one of latency, error, transport, response'],
    [{ name: 'x', effect: { ...error503, transport: { kind: 'reset' } } }, 'effect.transport', undefined],
    [{ name: 'x', effect: { error: { status: 404 } } }, 'effect.error.status', undefined],
    [{ name: 'x', effect: { error: { status: 500, retryAfterSeconds: 3 } } }, 'effect.error.retryAfterSeconds', undefined],
    [{ name: 'x', effect: { error: { status: 429, retryAfter: 3 } } }, 'effect.error.retryAfter', 'effect.error.retryAfter: unknown field'],
    [{ name: 'x', effect: { transport: { kind: 'truncate', keepFraction: 1 } } }, 'effect.transport.keepFraction', undefined],
    [{ name: 'x', effect: { response: { kind: 'wrong-content-type', contentType: 'text/html\r\nX-Evil: 1' } } }, 'effect.response.contentType', undefined],
    [{ name: 'x', effect: { response: { kind: 'total-mismatch', delta: 0 } } }, 'effect.response.delta', undefined],
    [{ name: 'x', probability: 1.5, effect: error503 }, 'probability', 'probability: must be ≤ 1'],
    [{ name: 'x', probability: Number.NaN, effect: error503 }, 'probability', undefined],
    [{ name: 'x', match: { interaction: 'delete' }, effect: error503 }, 'match.interaction', undefined],
    [{ name: 'x', match: { interaction: 'export' }, effect: error503 }, 'match.interaction', undefined],
    [{ name: 'x', match: { tenantId: 42 }, effect: error503 }, 'match.tenantId', 'match.tenantId: must be a string'],
    [{ name: 'x', schedule: { fromSeconds: 20, untilSeconds: 10 }, effect: error503 }, 'schedule.untilSeconds', undefined],
    [{ name: 'x', schedule: { everyNth: 0 }, effect: error503 }, 'schedule.everyNth', 'schedule.everyNth: must be ≥ 1'],
    [{ name: 'x', schedule: { everyNth: 2.5 }, effect: error503 }, 'schedule.everyNth', undefined],
    [{ name: 'has space', effect: error503 }, 'name', undefined],
    [{ effect: error503 }, 'name', 'name: is required'],
    [{ name: 'x', effect: error503, extra: true }, 'extra', 'extra: unknown field'],
  ])('rejects %j naming %s', (input, field, message) => {
    const error = errorOf(input);
    expect(error.code).toBe('ERR_FAULT_RULE_INVALID');
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    if (message !== undefined) expect(error.message).toBe(message);
  });

  it('rejects what is not an object at all', () => {
    expect(errorOf(null).message).toBe('rule: must be an object');
    expect(errorOf('slow').field).toBe('');
  });
});
