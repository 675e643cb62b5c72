/** Scenario errors, each with a stable code (like the fault errors) so the admin API maps them once. */
export class ScenarioError extends Error {
  readonly code: 'ERR_SCENARIO_INVALID' | 'ERR_SCENARIO_UNKNOWN' | 'ERR_SCENARIO_NOT_RUNNING';
  /** The offending field, e.g. "steps[2].preset", when there is one. */
  readonly field: string | undefined;
  constructor(code: ScenarioError['code'], message: string, field?: string) {
    super(message);
    this.name = 'ScenarioError';
    this.code = code;
    this.field = field;
  }
}

export const scenarioInvalid = (field: string, reason: string): ScenarioError => new ScenarioError('ERR_SCENARIO_INVALID', `${field}: ${reason}`, field);

export const scenarioUnknown = (name: string, known: readonly string[]): ScenarioError =>
  new ScenarioError('ERR_SCENARIO_UNKNOWN', `no scenario "${name}" (known: ${known.join(', ')})`);

export const noScenarioRunning = (): ScenarioError => new ScenarioError('ERR_SCENARIO_NOT_RUNNING', 'no scenario has been started');
