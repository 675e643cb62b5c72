import path from 'node:path';
import { checkScenarioReferences } from '../scenarios/checkScenarioReferences.js';
import { loadScenario } from '../scenarios/findScenario.js';
import { ScenarioError } from '../scenarios/scenarioErrors.js';
import type { Scenario } from '../scenarios/scenarioSchema.js';
import { ConfigError } from './configError.js';
import type { Profile } from './profileSchema.js';

/** `--scenario FILE|NAME` and `--report FILE`, resolved at start so a bad one exits with code 2 before anything runs. */
export function scenarioOptions(
  scenario: { value: string | undefined; source: string },
  report: string | undefined,
  profile: Profile,
): { scenario?: Scenario; reportFile?: string } {
  const options: { scenario?: Scenario; reportFile?: string } = {};
  if (scenario.value !== undefined && scenario.value !== '') {
    try {
      options.scenario = loadScenario(scenario.value, profile.scenarios);
      // A step naming a tenant or client this profile lacks is a start-up error, not a surprise halfway through.
      checkScenarioReferences(options.scenario, {
        tenantExists: (id) => profile.tenants.some((tenant) => tenant.id.toLowerCase() === id.toLowerCase()),
        clientExists: (id) => profile.clients.some((client) => client.id === id),
      });
    } catch (error) {
      if (error instanceof ScenarioError) throw new ConfigError(scenario.source, error.message);
      throw error;
    }
  }
  if (report !== undefined && report !== '') options.reportFile = path.resolve(report);
  return options;
}
