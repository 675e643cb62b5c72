import { FaultPresetOption, FaultPresetUnknown } from './errors.js';
import { parseFaultRule } from './parseFaultRule.js';
import { DATA_INTERACTIONS, type FaultRule } from './types.js';

export interface PresetOptions {
  /** Required by tenant-outage. */
  tenantId?: string;
}

/**
 * What the auth side should do alongside a preset. The fault layer only shapes requests; whoever applies
 * the preset (admin API, dashboard, profile loader) hands this to the token policy.
 */
export interface PresetAuthHint {
  tokenLifetimeSeconds: number;
}

export interface FaultPreset {
  readonly name: string;
  readonly description: string;
  /** `calm` clears every rule instead of adding any. */
  readonly clearsAll: boolean;
  readonly auth?: PresetAuthHint;
  rules(options: PresetOptions): FaultRule[];
}

function rules(inputs: readonly unknown[]): FaultRule[] {
  return inputs.map(parseFaultRule);
}

/** Tenant ids become part of a rule name, so they must be header-safe. */
function tenantIdOption(preset: string, options: PresetOptions): string {
  const { tenantId } = options;
  if (tenantId === undefined) throw new FaultPresetOption(preset, 'tenantId', 'is required');
  if (!/^[A-Za-z0-9._:-]{1,80}$/.test(tenantId)) throw new FaultPresetOption(preset, 'tenantId', 'must be a tenant id (letters, digits, -)');
  return tenantId;
}

export const FAULT_PRESETS: readonly FaultPreset[] = [
  {
    name: 'slow-network',
    description: 'Every hop is slow (lognormal, median 250 ms) and about one request in fifty stalls for 3–8 s.',
    clearsAll: false,
    // The stall comes first: the first rule that fires decides the latency.
    rules: () =>
      rules([
        { name: 'slow-network/stall', probability: 0.02, effect: { latency: { distribution: 'uniform', min: 3000, max: 8000 } } },
        { name: 'slow-network/hop', effect: { latency: { distribution: 'lognormal', median: 250, spread: 0.5, cap: 5000 } } },
      ]),
  },
  {
    name: 'flaky-partner',
    description: 'About one request in eight fails: 503 with Retry-After, 502, a 504 after 2 s, a reset connection, a truncated body.',
    clearsAll: false,
    rules: () =>
      rules([
        { name: 'flaky-partner/503', probability: 0.05, effect: { error: { status: 503, retryAfterSeconds: 1 } } },
        { name: 'flaky-partner/502', probability: 0.03, effect: { error: { status: 502 } } },
        {
          name: 'flaky-partner/504',
          probability: 0.02,
          effect: { latency: { distribution: 'fixed', ms: 2000 }, error: { status: 504 } },
        },
        { name: 'flaky-partner/reset', probability: 0.02, effect: { transport: { kind: 'reset' } } },
        { name: 'flaky-partner/truncate', probability: 0.01, effect: { transport: { kind: 'truncate' } } },
      ]),
  },
  {
    name: 'throttled',
    description: 'Every 4th request is refused with 429 and Retry-After: 2.',
    clearsAll: false,
    rules: () => rules([{ name: 'throttled/429', schedule: { everyNth: 4 }, effect: { error: { status: 429, retryAfterSeconds: 2 } } }]),
  },
  {
    name: 'token-churn',
    description:
      'One FHIR call in ten is refused with 401 invalid_token although the token is valid; paired with 60 s tokens on the auth side.',
    clearsAll: false,
    auth: { tokenLifetimeSeconds: 60 },
    rules: () => rules([{ name: 'token-churn/401', probability: 0.1, effect: { error: { status: 401 } } }]),
  },
  {
    name: 'tenant-outage',
    description: "One tenant's hospital is down: its FHIR calls get 503 with Retry-After: 30; tokens are still issued.",
    clearsAll: false,
    rules: (options) => {
      const tenantId = tenantIdOption('tenant-outage', options);
      return rules([
        {
          name: `tenant-outage/${tenantId}`,
          match: { tenantId, interaction: [...DATA_INTERACTIONS] },
          effect: { error: { status: 503, retryAfterSeconds: 30, message: "The hospital's FHIR server is unavailable." } },
        },
      ]);
    },
  },
  {
    name: 'broken-paging',
    description: "Searches whose next link 404s (30%) or whose Bundle.total disagrees with the entries (20%).",
    clearsAll: false,
    rules: () =>
      rules([
        { name: 'broken-paging/next-404', probability: 0.3, effect: { response: { kind: 'broken-next-link', mode: 'not-found' } } },
        { name: 'broken-paging/total', probability: 0.2, effect: { response: { kind: 'total-mismatch', delta: 3 } } },
      ]),
  },
  {
    name: 'half-written',
    description: 'Responses that break the parser: truncated bodies, malformed JSON, an HTML page instead of JSON (5% each).',
    clearsAll: false,
    rules: () =>
      rules([
        { name: 'half-written/truncate', probability: 0.05, effect: { transport: { kind: 'truncate' } } },
        { name: 'half-written/malformed-json', probability: 0.05, effect: { response: { kind: 'malformed-json' } } },
        { name: 'half-written/html', probability: 0.05, effect: { response: { kind: 'wrong-content-type' } } },
      ]),
  },
  {
    name: 'calm',
    description: 'No faults: removes every rule.',
    clearsAll: true,
    rules: () => [],
  },
];

export function findPreset(name: string): FaultPreset {
  const preset = FAULT_PRESETS.find((p) => p.name === name);
  if (preset === undefined) throw new FaultPresetUnknown(name, FAULT_PRESETS.map((p) => p.name));
  return preset;
}

/**
 * A preset as a profile or a command line names it: "slow-network", or "tenant-outage:<tenant id>"
 * for presets that take a tenant.
 */
export function parsePresetReference(reference: string): { name: string; options: PresetOptions } {
  const colon = reference.indexOf(':');
  if (colon === -1) return { name: reference, options: {} };
  return { name: reference.slice(0, colon), options: { tenantId: reference.slice(colon + 1) } };
}
