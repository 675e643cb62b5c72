import type { FhirVersion } from '../fhir/types.js';
import { ruleWindow } from './ruleWindow.js';
import { DATA_INTERACTIONS, FAULT_INTERACTIONS } from './types.js';
import type { FaultInteraction, FaultOutcome, FaultRule, FaultTarget, LatencyEffect, OneOrMany } from './types.js';

/** Per-rule state that survives recompiling the other rules. */
export interface RuleCounter {
  matched: number;
}

/** A rule turned into what decide() needs per request: sets instead of lists, absolute times, a ready outcome. */
export interface CompiledRule {
  readonly name: string;
  readonly probability: number;
  readonly tenantIds: ReadonlySet<string> | undefined;
  readonly resourceTypes: ReadonlySet<string> | undefined;
  readonly fhirVersions: ReadonlySet<FhirVersion> | undefined;
  readonly fromMs: number | undefined;
  readonly untilMs: number | undefined;
  readonly everyNth: number | undefined;
  readonly latency: LatencyEffect | undefined;
  readonly outcome: FaultOutcome | undefined;
  readonly counter: RuleCounter;
}

export type CompiledRules = ReadonlyMap<FaultInteraction, readonly CompiledRule[]>;

function toSet<T extends string>(value: OneOrMany<T> | undefined): ReadonlySet<T> | undefined {
  if (value === undefined) return undefined;
  return new Set<T>(typeof value === 'string' ? [value] : value);
}

function outcomeOf(rule: FaultRule): FaultOutcome | undefined {
  const { error, transport, response } = rule.effect;
  if (error !== undefined) return { kind: 'error', rule: rule.name, error };
  if (transport !== undefined) return { kind: 'transport', rule: rule.name, transport };
  if (response !== undefined) return { kind: 'response', rule: rule.name, response };
  return undefined;
}

/**
 * Where an effect can mean something: an invalid_token 401 only on calls that carry a token, and
 * Bundle paging faults only on searches.
 */
function meaningfulFor(rule: FaultRule): ReadonlySet<FaultInteraction> {
  const { error, response } = rule.effect;
  if (error?.status === 401) return new Set(DATA_INTERACTIONS);
  if (response?.kind === 'broken-next-link' || response?.kind === 'total-mismatch') return new Set(['search']);
  return new Set(FAULT_INTERACTIONS);
}

/**
 * Index enabled rules by interaction, keeping rule order, so decide() touches only rules that can
 * apply. Called when rules change, never per request.
 */
export function compileRules(
  rules: readonly FaultRule[],
  postedAtOf: (name: string) => number,
  counterFor: (name: string) => RuleCounter,
): CompiledRules {
  const byInteraction = new Map<FaultInteraction, CompiledRule[]>();
  for (const rule of rules) {
    if (!rule.enabled || rule.probability <= 0) continue;
    const window = ruleWindow(rule, postedAtOf(rule.name));
    const compiled: CompiledRule = {
      name: rule.name,
      probability: rule.probability,
      tenantIds: toSet(rule.match.tenantId),
      resourceTypes: toSet(rule.match.resourceType),
      fhirVersions: toSet(rule.match.fhirVersion),
      fromMs: window.fromMs,
      untilMs: window.untilMs,
      everyNth: rule.schedule?.everyNth,
      latency: rule.effect.latency,
      outcome: outcomeOf(rule),
      counter: counterFor(rule.name),
    };
    const wanted = toSet(rule.match.interaction);
    for (const interaction of meaningfulFor(rule)) {
      if (wanted !== undefined && !wanted.has(interaction)) continue;
      let list = byInteraction.get(interaction);
      if (list === undefined) byInteraction.set(interaction, (list = []));
      list.push(compiled);
    }
  }
  return byInteraction;
}

/** Does the rule's match cover this request? A field the rule names but the request lacks does not match. */
export function matchesTarget(rule: CompiledRule, target: FaultTarget): boolean {
  if (rule.tenantIds !== undefined && (target.tenantId === undefined || !rule.tenantIds.has(target.tenantId))) return false;
  if (rule.resourceTypes !== undefined && (target.resourceType === undefined || !rule.resourceTypes.has(target.resourceType))) {
    return false;
  }
  if (rule.fhirVersions !== undefined && (target.fhirVersion === undefined || !rule.fhirVersions.has(target.fhirVersion))) {
    return false;
  }
  return true;
}

/** Inside [from, until): a rule "from 10 s until 20 s" is on at 10 s and off at 20 s. */
export function inWindow(rule: CompiledRule, nowMs: number): boolean {
  return (rule.fromMs === undefined || nowMs >= rule.fromMs) && (rule.untilMs === undefined || nowMs < rule.untilMs);
}
