import type { ScenarioControls } from './scenarioControls.js';
import type { ScenarioStep } from './scenarioSchema.js';

/** Carries out one step through the control plane; a key rotation returns its promise. `end` does nothing here. */
export function applyScenarioStep(controls: ScenarioControls, step: ScenarioStep): Promise<unknown> | undefined {
  if ('apply' in step) {
    if (step.apply === 'preset') controls.applyFaultPreset(step.preset, step.tenantId === undefined ? {} : { tenantId: step.tenantId });
    else applyRule(controls, step.rule);
    return undefined;
  }
  switch (step.action) {
    case 'expire-all':
      controls.expireAllTokens();
      return undefined;
    case 'calm':
      controls.applyFaultPreset('calm');
      return undefined;
    case 'rotate-key':
      return controls.rotateSigningKey(step.graceSeconds);
    case 'token-lifetime':
      controls.setTokenLifetime(step.seconds);
      return undefined;
    case 'clock-skew':
      controls.setClockSkew(step.seconds);
      return undefined;
    case 'remove-rule':
      controls.removeFaultRule(step.name);
      return undefined;
    case 'clear-rules':
      controls.clearFaultRules();
      return undefined;
    case 'revoke-client-tokens':
      controls.revokeClientTokens(step.clientId);
      return undefined;
    case 'end':
      return undefined;
  }
}

/** Puts a rule in force: one of the same name (from an earlier run, say) is replaced, as presets replace theirs. */
function applyRule(controls: ScenarioControls, rule: unknown): void {
  const name = (rule as { name?: unknown }).name;
  if (controls.listFaultRules().some((existing) => existing.name === name)) controls.removeFaultRule(name as string);
  controls.addFaultRule(rule);
}

/** "apply preset flaky-partner", "expire all tokens": a step in words, for the status and the dashboard. */
export function describeStep(step: ScenarioStep): string {
  if ('apply' in step) {
    if (step.apply === 'preset') return `apply preset ${step.preset}${step.tenantId === undefined ? '' : `:${step.tenantId}`}`;
    const name = (step.rule as { name?: unknown }).name;
    return `add rule ${typeof name === 'string' ? name : ''}`.trim();
  }
  switch (step.action) {
    case 'expire-all':
      return 'expire all tokens';
    case 'calm':
      return 'calm (clear every rule)';
    case 'rotate-key':
      return `rotate the signing key (grace ${step.graceSeconds}s)`;
    case 'token-lifetime':
      return `token lifetime ${step.seconds}s`;
    case 'clock-skew':
      return `clock skew ${step.seconds}s`;
    case 'remove-rule':
      return `remove rule ${step.name}`;
    case 'clear-rules':
      return 'clear every rule';
    case 'revoke-client-tokens':
      return `revoke the tokens of ${step.clientId}`;
    case 'end':
      return 'end';
  }
}
