import { DATA_INTERACTIONS, type ErrorEffect, type FaultRule, type LatencyEffect } from '../faults/types.js';

/** One step of a dashboard cycle: what it is called on screen and the effect it puts on the tenant. */
export interface LatencyStep {
  label: string;
  latency: LatencyEffect | undefined;
}

export interface ErrorStep {
  label: string;
  error: ErrorEffect | undefined;
  probability: number;
}

export const LATENCY_STEPS: readonly LatencyStep[] = [
  { label: 'none', latency: undefined },
  { label: '200ms', latency: { distribution: 'fixed', ms: 200 } },
  { label: '1s', latency: { distribution: 'fixed', ms: 1000 } },
  { label: 'lognormal 800ms', latency: { distribution: 'lognormal', median: 800, spread: 0.6, cap: 10_000 } },
];

export const ERROR_STEPS: readonly ErrorStep[] = [
  { label: 'none', error: undefined, probability: 1 },
  { label: '503', error: { status: 503, retryAfterSeconds: 1 }, probability: 1 },
  { label: '429', error: { status: 429, retryAfterSeconds: 1 }, probability: 1 },
  { label: '500', error: { status: 500 }, probability: 1 },
  { label: '502 (1 in 4)', error: { status: 502 }, probability: 0.25 },
];

export const TOKEN_LIFETIME_STEPS: readonly number[] = [3600, 300, 30, 5];

/** The first 8 hex digits of a tenant GUID: enough to tell tenants apart on screen and in rule names. */
export function shortTenantId(tenantId: string): string {
  return tenantId.slice(0, 8).toLowerCase();
}

export function latencyRuleName(tenantId: string): string {
  return `dash-latency-${shortTenantId(tenantId)}`;
}

export function errorRuleName(tenantId: string): string {
  return `dash-error-${shortTenantId(tenantId)}`;
}

/** The rule JSON for a step, as the admin API would receive it. */
export function latencyRule(tenantId: string, step: LatencyStep & { latency: LatencyEffect }): Record<string, unknown> {
  return { name: latencyRuleName(tenantId), match: { tenantId, interaction: [...DATA_INTERACTIONS] }, effect: { latency: step.latency } };
}

export function errorRule(tenantId: string, step: ErrorStep & { error: ErrorEffect }): Record<string, unknown> {
  return {
    name: errorRuleName(tenantId),
    match: { tenantId, interaction: [...DATA_INTERACTIONS] },
    effect: { error: step.error },
    probability: step.probability,
  };
}

/**
 * Which latency step the tenant is on, read back from the rules (the fault engine is the only state):
 * a rule changed by the admin API to something else counts as "custom".
 */
export function currentLatencyStep(rules: readonly FaultRule[], tenantId: string): number {
  const rule = rules.find((candidate) => candidate.name === latencyRuleName(tenantId));
  if (rule === undefined) return 0;
  return LATENCY_STEPS.findIndex((step) => step.latency !== undefined && sameFields(step.latency, rule.effect.latency));
}

export function currentErrorStep(rules: readonly FaultRule[], tenantId: string): number {
  const rule = rules.find((candidate) => candidate.name === errorRuleName(tenantId));
  if (rule === undefined) return 0;
  return ERROR_STEPS.findIndex(
    (step) => step.error !== undefined && sameFields(step.error, rule.effect.error) && step.probability === rule.probability,
  );
}

/** Flat effect objects, compared field by field so key order does not matter. */
function sameFields(a: object, b: object | undefined): boolean {
  if (b === undefined) return false;
  const aEntries = Object.entries(a).filter(([, value]) => value !== undefined);
  const bEntries = Object.entries(b).filter(([, value]) => value !== undefined);
  return aEntries.length === bEntries.length && aEntries.every(([key, value]) => (b as Record<string, unknown>)[key] === value);
}
