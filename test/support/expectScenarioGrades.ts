import { expect } from 'vitest';
import { CRITERION_IDS, type CriterionId } from '../../src/report/criteria.js';
import type { ReportCard } from '../../src/report/reportCard.js';
import { reportUnderScenario } from './scenarioRun.js';

type Verdicts = Partial<Record<CriterionId, string>>;

function verdicts(report: ReportCard): Verdicts {
  expect(report.clients.map((client) => client.clientId)).toEqual(['demo-client']);
  return Object.fromEntries((report.clients[0]?.criteria ?? []).map((criterion) => [criterion.id, criterion.result]));
}

/**
 * The report card's proof under one built-in scenario: the simulator (the good client) fails nothing
 * and passes every criterion the scenario is about; the careless client fails exactly the criteria it
 * breaks, each with evidence; and a second run with the same seed gives the very same report.
 */
export async function expectScenarioGrades(scenario: string, expected: { goodPasses: CriterionId[]; carelessFails: CriterionId[] }): Promise<void> {
  const good = (await reportUnderScenario(scenario, 'good')).report;
  const goodVerdicts = verdicts(good);
  expect(Object.values(goodVerdicts)).not.toContain('fail');
  for (const id of expected.goodPasses) expect(goodVerdicts[id], `good client, ${id}`).toBe('pass');
  expect(good.passed).toBe(true);
  expect(good.scenario).toEqual({ name: scenario, state: 'finished' });

  const careless = (await reportUnderScenario(scenario, 'careless')).report;
  const carelessVerdicts = verdicts(careless);
  expect(CRITERION_IDS.filter((id) => carelessVerdicts[id] === 'fail')).toEqual(expected.carelessFails);
  for (const criterion of careless.clients[0]?.criteria ?? []) {
    if (criterion.result !== 'fail') continue;
    expect(criterion.evidence.length, `evidence for ${criterion.id}`).toBeGreaterThan(0);
    for (const item of criterion.evidence) expect(item).toMatchObject({ requestId: expect.stringMatching(/^r[0-9a-z]+$/), at: expect.stringMatching(/^2026-01-15T09:/) });
  }
  expect(careless.passed).toBe(false);

  // Same seed, same traffic: the same faults at the same moments, so the same report, evidence and all.
  expect((await reportUnderScenario(scenario, 'good')).report).toEqual(good);
  expect((await reportUnderScenario(scenario, 'careless')).report).toEqual(careless);
}
