import type { EventBus } from '../events/eventBus.js';
import { systemClock } from '../lib/clock.js';
import type { Clock } from '../lib/clock.js';
import { deriveSeed, seededRandom } from '../lib/random.js';
import type { RandomSource } from '../lib/random.js';
import { compileRules, inWindow, matchesTarget } from './compileRules.js';
import type { CompiledRules, RuleCounter } from './compileRules.js';
import { FaultPresetOption, FaultRuleDuplicate, FaultRuleInvalid, FaultRuleNotFound } from './errors.js';
import { FAULT_LIMITS } from './limits.js';
import { parseFaultRule } from './parseFaultRule.js';
import { findPreset, parsePresetReference } from './presets.js';
import type { PresetAuthHint, PresetOptions } from './presets.js';
import { ruleWindow, type RuleWindow } from './ruleWindow.js';
import { sampleLatency } from './sampleLatency.js';
import type { FaultDecision, FaultOutcome, FaultRule, FaultTarget } from './types.js';

export interface FaultEngineOptions {
  /** The sandbox seed; fault draws use their own stream derived from it. */
  seed: number;
  events: EventBus;
  clock?: Clock;
  /** Rules that name a tenant this says does not exist are refused; without it any tenant id is accepted. */
  tenantExists?: (tenantId: string) => boolean;
  /** No latency draw exceeds this, whatever a rule says (≤ 10 min). */
  maxLatencyMs?: number;
}

export interface AppliedPreset {
  preset: string;
  /** Names of the rules the preset added or replaced. */
  rules: string[];
  /** The auth-side part, for the caller to hand to the token policy. */
  auth?: PresetAuthHint;
  /** `calm`: whatever a preset changed on the auth side should be undone too. */
  restoresAuth?: boolean;
}

/**
 * Holds the fault rules and decides, per request, which of them fire. Rules are indexed when they
 * change so that a request with no applicable rule costs a map lookup, and no rules at all a length check.
 */
export class FaultEngine {
  readonly #events: EventBus;
  readonly #clock: Clock;
  readonly #seed: number;
  #random: RandomSource;
  readonly #tenantExists: (tenantId: string) => boolean;
  readonly #maxLatencyMs: number;
  #rules: FaultRule[] = [];
  #compiled: CompiledRules = new Map();
  #counters = new Map<string, RuleCounter>();
  /** When each rule was posted: its schedule counts from there. */
  #postedAt = new Map<string, number>();
  #pagingLinksBroken = false;

  constructor(options: FaultEngineOptions) {
    this.#events = options.events;
    this.#clock = options.clock ?? systemClock;
    this.#seed = options.seed;
    this.#random = seededRandom(deriveSeed(options.seed, 'faults'));
    this.#tenantExists = options.tenantExists ?? (() => true);
    this.#maxLatencyMs = Math.min(Math.max(options.maxLatencyMs ?? FAULT_LIMITS.maxMs, 0), FAULT_LIMITS.maxMs);
  }

  /** True while nothing can fire and no broken paging link is out there: the middleware's fast path. */
  get idle(): boolean {
    return this.#compiled.size === 0 && !this.#pagingLinksBroken;
  }

  /** Whether a broken next link has ever been served, so requests following one must be checked. */
  get pagingLinksBroken(): boolean {
    return this.#pagingLinksBroken;
  }

  /** Called by the middleware when it serves a broken next link. */
  notePagingLinkBroken(): void {
    this.#pagingLinksBroken = true;
  }

  /**
   * Starts the seeded draws over, as at start: what is drawn from here on depends only on the seed and
   * the requests from now (a scenario calls this, so its faults do not depend on earlier traffic).
   */
  restartDraws(): void {
    this.#random = seededRandom(deriveSeed(this.#seed, 'faults'));
  }

  list(): readonly FaultRule[] {
    return this.#rules;
  }

  get(name: string): FaultRule | undefined {
    return this.#rules.find((rule) => rule.name === name);
  }

  /** When the rule was posted and the absolute window its schedule gives it. */
  windowOf(name: string): RuleWindow {
    const rule = this.#rules[this.#indexOf(name)] as FaultRule;
    return ruleWindow(rule, this.#postedAtOf(name));
  }

  /** Adds a rule; its schedule counts from now. */
  add(input: unknown): FaultRule {
    const rule = this.#parseKnownTenants(input);
    if (this.get(rule.name) !== undefined) throw new FaultRuleDuplicate(rule.name);
    this.#counters.delete(rule.name);
    this.#postedAt.set(rule.name, this.#clock.now());
    this.#setRules([...this.#rules, rule], `added ${rule.name}`);
    return rule;
  }

  /**
   * Replace the top-level fields given in `patch` (e.g. `{ enabled: false }`, a new `effect`); a field
   * set to null is removed (`{ schedule: null }`). The rule's everyNth count restarts; a patch that
   * gives a schedule counts it from now, any other keeps counting from when the rule was posted.
   */
  update(name: string, patch: unknown): FaultRule {
    const index = this.#indexOf(name);
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new FaultRuleInvalid('', 'a patch must be an object');
    const merged: Record<string, unknown> = { ...this.#rules[index], ...patch };
    for (const [key, value] of Object.entries(merged)) if (value === null) delete merged[key];
    const rule = this.#parseKnownTenants(merged);
    if (rule.name !== name && this.get(rule.name) !== undefined) throw new FaultRuleDuplicate(rule.name);
    const postedAtMs = 'schedule' in patch ? this.#clock.now() : this.#postedAtOf(name);
    this.#counters.delete(name);
    this.#counters.delete(rule.name);
    this.#postedAt.delete(name);
    this.#postedAt.set(rule.name, postedAtMs);
    this.#setRules(this.#rules.map((existing, i) => (i === index ? rule : existing)), `updated ${rule.name}`);
    return rule;
  }

  remove(name: string): void {
    const index = this.#indexOf(name);
    this.#counters.delete(name);
    this.#postedAt.delete(name);
    this.#setRules(this.#rules.filter((_, i) => i !== index), `removed ${name}`);
  }

  clear(): void {
    this.#counters.clear();
    this.#postedAt.clear();
    this.#setRules([], 'cleared all rules');
  }

  /**
   * Add a preset's rules, replacing rules of the same name so applying twice is harmless; `calm` clears.
   * `reference` may carry the tenant: "tenant-outage:<tenant id>".
   */
  applyPreset(reference: string, options: PresetOptions = {}): AppliedPreset {
    const parsed = parsePresetReference(reference);
    const preset = findPreset(parsed.name);
    const applied: AppliedPreset = { preset: preset.name, rules: [] };
    if (preset.auth !== undefined) applied.auth = preset.auth;
    if (preset.clearsAll) {
      applied.restoresAuth = true;
      this.#counters.clear();
      this.#postedAt.clear();
      this.#setRules([], `preset ${preset.name}: cleared all rules`);
      return applied;
    }
    const presetOptions = { ...parsed.options, ...options };
    if (presetOptions.tenantId !== undefined && !this.#tenantExists(presetOptions.tenantId)) {
      throw new FaultPresetOption(preset.name, 'tenantId', `no tenant "${presetOptions.tenantId}" in this sandbox`);
    }
    const added = preset.rules(presetOptions);
    const names = new Set(added.map((rule) => rule.name));
    const now = this.#clock.now();
    for (const name of names) {
      this.#counters.delete(name);
      this.#postedAt.set(name, now);
    }
    applied.rules = [...names];
    this.#setRules([...this.#rules.filter((rule) => !names.has(rule.name)), ...added], `preset ${preset.name}: ${applied.rules.join(', ')}`);
    return applied;
  }

  /**
   * Which faults this request suffers. Rules are tried in order; the first that fires with latency sets
   * the delay and the first that fires with an error, transport or response effect sets the outcome.
   * Every matching rule advances its everyNth count, and each one with a probability below 1 draws
   * from the seeded source, so the same rules, seed and request order always give the same decisions.
   */
  decide(target: FaultTarget): FaultDecision | undefined {
    if (this.#compiled.size === 0) return undefined;
    const candidates = this.#compiled.get(target.interaction);
    if (candidates === undefined) return undefined;
    const now = this.#clock.now();
    let latency: FaultDecision['latency'];
    let outcome: FaultOutcome | undefined;
    for (const rule of candidates) {
      if (!matchesTarget(rule, target) || !inWindow(rule, now)) continue;
      if (rule.everyNth !== undefined && ++rule.counter.matched % rule.everyNth !== 0) continue;
      if (rule.probability < 1 && this.#random.next() >= rule.probability) continue;
      if (rule.latency !== undefined && latency === undefined) {
        latency = { rule: rule.name, ms: sampleLatency(rule.latency, this.#random, this.#maxLatencyMs) };
      }
      if (rule.outcome !== undefined && outcome === undefined) outcome = rule.outcome;
    }
    if (latency === undefined && outcome === undefined) return undefined;
    const decision: FaultDecision = {};
    if (latency !== undefined) decision.latency = latency;
    if (outcome !== undefined) decision.outcome = outcome;
    return decision;
  }

  #indexOf(name: string): number {
    const index = this.#rules.findIndex((rule) => rule.name === name);
    if (index === -1) throw new FaultRuleNotFound(name);
    return index;
  }

  #postedAtOf = (name: string): number => this.#postedAt.get(name) ?? this.#clock.now();

  /** Parses a rule and refuses one that names a tenant this sandbox does not have. */
  #parseKnownTenants(input: unknown): FaultRule {
    const rule = parseFaultRule(input);
    const { tenantId } = rule.match;
    const named = tenantId === undefined ? [] : typeof tenantId === 'string' ? [tenantId] : tenantId;
    const unknown = named.find((id) => !this.#tenantExists(id));
    if (unknown !== undefined) throw new FaultRuleInvalid('match.tenantId', `no tenant "${unknown}" in this sandbox`);
    return rule;
  }

  #counterFor = (name: string): RuleCounter => {
    let counter = this.#counters.get(name);
    if (counter === undefined) this.#counters.set(name, (counter = { matched: 0 }));
    return counter;
  };

  #setRules(rules: FaultRule[], detail: string): void {
    this.#rules = rules;
    this.#compiled = compileRules(rules, this.#postedAtOf, this.#counterFor);
    this.#events.emit({ type: 'faults-changed', at: this.#clock.now(), detail });
  }
}
