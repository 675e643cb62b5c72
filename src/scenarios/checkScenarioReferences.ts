import { parsePresetReference } from '../faults/presets.js';
import { scenarioInvalid } from './scenarioErrors.js';
import type { Scenario } from './scenarioSchema.js';

export interface SandboxNames {
  tenantExists(id: string): boolean;
  clientExists(id: string): boolean;
}

/**
 * Refuses, before anything runs, a scenario whose steps name a tenant or client this sandbox does not
 * have: otherwise the timeline would fail halfway through.
 */
export function checkScenarioReferences(scenario: Scenario, names: SandboxNames): void {
  scenario.steps.forEach((step, index) => {
    const field = `steps[${index}]`;
    if ('apply' in step && step.apply === 'preset') {
      const tenantId = step.tenantId ?? parsePresetReference(step.preset).options.tenantId;
      if (tenantId !== undefined && !names.tenantExists(tenantId)) throw scenarioInvalid(`${field}.tenantId`, `no tenant "${tenantId}" in this sandbox`);
    } else if ('apply' in step) {
      const named = (step.rule as { match?: { tenantId?: unknown } }).match?.tenantId;
      const ids = typeof named === 'string' ? [named] : Array.isArray(named) ? named.filter((id): id is string => typeof id === 'string') : [];
      const unknown = ids.find((id) => !names.tenantExists(id));
      if (unknown !== undefined) throw scenarioInvalid(`${field}.rule.match.tenantId`, `no tenant "${unknown}" in this sandbox`);
    } else if (step.action === 'revoke-client-tokens' && !names.clientExists(step.clientId)) {
      throw scenarioInvalid(`${field}.clientId`, `no client "${step.clientId}" in this sandbox`);
    }
  });
}
