import { describeIssues } from '../config/loadProfile.js';
import { scenarioSchema, type Scenario } from './scenarioSchema.js';
import { ScenarioError } from './scenarioErrors.js';

/** Validates a scenario from JSON; the error names the source and the field, e.g. "steps[2].preset: must be a preset…". */
export function parseScenario(raw: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(raw);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const field = first === undefined ? undefined : first.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
  throw new ScenarioError('ERR_SCENARIO_INVALID', `${source}: ${describeIssues(result.error.issues)}`, field);
}
