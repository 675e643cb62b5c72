import { readFileSync } from 'node:fs';
import path from 'node:path';
import { builtInScenarios } from './builtInScenarios.js';
import { parseScenario } from './parseScenario.js';
import { ScenarioError, scenarioUnknown } from './scenarioErrors.js';
import type { Scenario } from './scenarioSchema.js';

/** The scenarios runnable by name: the profile's first (they may replace a built-in of the same name), then the built-ins. */
export function scenariosByName(profileScenarios: readonly Scenario[]): Scenario[] {
  const names = new Set(profileScenarios.map((scenario) => scenario.name));
  return [...profileScenarios, ...builtInScenarios().filter((scenario) => !names.has(scenario.name))];
}

export function findScenario(name: string, profileScenarios: readonly Scenario[]): Scenario {
  const known = scenariosByName(profileScenarios);
  const found = known.find((scenario) => scenario.name === name);
  if (found === undefined) throw scenarioUnknown(name, known.map((scenario) => scenario.name));
  return found;
}

/** `--scenario FILE|NAME`: a path (it has a slash or ends in .json) is read as scenario JSON; anything else is a name. */
export function loadScenario(reference: string, profileScenarios: readonly Scenario[]): Scenario {
  const looksLikePath = reference.includes('/') || reference.includes('\\') || reference.endsWith('.json');
  if (!looksLikePath) return findScenario(reference, profileScenarios);
  const file = path.resolve(reference);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError('ERR_SCENARIO_INVALID', `${file}: is not readable JSON (${(error as Error).message})`);
  }
  return parseScenario(raw, file);
}
