import type { FaultRule } from './types.js';

/** When a rule was posted and the absolute time window its schedule gives it (epoch milliseconds). */
export interface RuleWindow {
  postedAtMs: number;
  /** Absent: on from the moment it was posted. */
  fromMs?: number;
  /** Absent: on until removed. */
  untilMs?: number;
}

/** A schedule's seconds count from when its rule was posted (profile rules: from start). */
export function ruleWindow(rule: FaultRule, postedAtMs: number): RuleWindow {
  const window: RuleWindow = { postedAtMs };
  const { fromSeconds, untilSeconds } = rule.schedule ?? {};
  if (fromSeconds !== undefined) window.fromMs = postedAtMs + fromSeconds * 1000;
  if (untilSeconds !== undefined) window.untilMs = postedAtMs + untilSeconds * 1000;
  return window;
}
