import { parseScenario } from './parseScenario.js';
import type { Scenario } from './scenarioSchema.js';

/**
 * Scenarios a trainer runs by name. Written as the JSON a user would write, and parsed by the same
 * schema as any other, so a built-in can never be one the schema refuses (a test parses them all).
 */
const BUILT_IN_JSON: readonly unknown[] = [
  {
    name: 'token-storm',
    description: 'Tokens under pressure: 10% spurious 401s with 60 s tokens, then 5 s tokens, every token expired at once, the signing key rotated without grace, 30 s tokens; back to an hour at the end.',
    steps: [
      { at: '0s', apply: 'preset', preset: 'token-churn' },
      { at: '20s', action: 'calm' },
      { at: '20s', action: 'token-lifetime', seconds: 5 },
      { at: '40s', action: 'expire-all' },
      { at: '55s', action: 'rotate-key', graceSeconds: 0 },
      { at: '70s', action: 'token-lifetime', seconds: 30 },
      { at: '1m50s', action: 'token-lifetime', seconds: 3600 },
      { at: '2m', action: 'end' },
    ],
  },
  {
    name: 'bad-day',
    description: 'A partner having a bad day: slow searches throughout, throttling with Retry-After, a burst of 503s without it, a burst of 503s with Retry-After, then calm.',
    steps: [
      { at: '0s', apply: 'rule', rule: { name: 'bad-day/slow-search', match: { interaction: 'search' }, effect: { latency: { distribution: 'lognormal', median: 600, spread: 0.5, cap: 3000 } } } },
      { at: '10s', apply: 'preset', preset: 'throttled' },
      { at: '40s', action: 'remove-rule', name: 'throttled/429' },
      { at: '40s', apply: 'rule', rule: { name: 'bad-day/503-burst', probability: 0.5, schedule: { untilSeconds: 20 }, effect: { error: { status: 503 } } } },
      { at: '70s', apply: 'rule', rule: { name: 'bad-day/503-retry-after', probability: 0.3, schedule: { untilSeconds: 20 }, effect: { error: { status: 503, retryAfterSeconds: 3 } } } },
      { at: '1m50s', action: 'calm' },
      { at: '2m', action: 'end' },
    ],
  },
  {
    name: 'broken-paging',
    description: 'Paging that lies: next links that 404 and totals that disagree with the entries, then next links that lead past the last page, then calm.',
    steps: [
      { at: '0s', apply: 'preset', preset: 'broken-paging' },
      { at: '30s', action: 'remove-rule', name: 'broken-paging/next-404' },
      { at: '30s', apply: 'rule', rule: { name: 'broken-paging/past-end', probability: 0.3, match: { interaction: 'search' }, effect: { response: { kind: 'broken-next-link', mode: 'past-end' } } } },
      { at: '60s', action: 'calm' },
      { at: '70s', action: 'end' },
    ],
  },
];

let parsed: readonly Scenario[] | undefined;

/** Parsed on first use, not at start-up. */
export function builtInScenarios(): readonly Scenario[] {
  parsed ??= BUILT_IN_JSON.map((raw, index) => parseScenario(raw, `built-in scenario ${index}`));
  return parsed;
}
