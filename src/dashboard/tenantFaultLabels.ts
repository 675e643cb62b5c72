import type { FaultRule } from '../faults/types.js';
import {
  ERROR_STEPS,
  LATENCY_STEPS,
  currentErrorStep,
  currentLatencyStep,
  errorRuleName,
  latencyRuleName,
} from './tenantFaultPresets.js';

/**
 * Short labels for the enabled rules that can hit a tenant, the ones scoped to it first: the dashboard's
 * own rules by their step ("lat 1s", "err 503"), preset rules by their preset ("slow-network"), others by name.
 */
export function tenantFaultLabels(rules: readonly FaultRule[], tenantId: string): string[] {
  const scoped: string[] = [];
  const global: string[] = [];
  for (const rule of rules) {
    if (!rule.enabled || !appliesTo(rule, tenantId)) continue;
    (rule.match.tenantId === undefined ? global : scoped).push(labelOf(rule, rules, tenantId));
  }
  return [...new Set([...scoped, ...global])];
}

function labelOf(rule: FaultRule, rules: readonly FaultRule[], tenantId: string): string {
  if (rule.name === latencyRuleName(tenantId)) return `lat ${LATENCY_STEPS[currentLatencyStep(rules, tenantId)]?.label ?? 'custom'}`;
  if (rule.name === errorRuleName(tenantId)) return `err ${ERROR_STEPS[currentErrorStep(rules, tenantId)]?.label ?? 'custom'}`;
  // Preset rules are named "<preset>/<part>": the preset says enough in a narrow column.
  const slash = rule.name.indexOf('/');
  return slash > 0 ? rule.name.slice(0, slash) : rule.name;
}

function appliesTo(rule: FaultRule, tenantId: string): boolean {
  const scope = rule.match.tenantId;
  if (scope === undefined) return true;
  const ids: readonly string[] = typeof scope === 'string' ? [scope] : scope;
  return ids.some((id) => id.toLowerCase() === tenantId.toLowerCase());
}
