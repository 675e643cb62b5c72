import type { Sandbox } from '../sandbox.js';
import type { Scenario } from '../scenarios/scenarioSchema.js';

/** `--scenario`: its clock starts once every tenant is seeded (when /healthz turns 200), not at process start. */
export function startScenarioWhenSeeded(sandbox: Sandbox, scenario: Scenario): void {
  const warn = (error: unknown) =>
    sandbox.events.emit({ type: 'warning', at: sandbox.clock.now(), message: `scenario ${scenario.name} did not start: ${error instanceof Error ? error.message : String(error)}` });
  sandbox.seeded.then(() => sandbox.control.runScenario(scenario)).catch(warn);
}
