import { it } from 'vitest';
import { expectScenarioGrades } from '../support/expectScenarioGrades.js';

it('broken-paging: the simulator follows next links and leaves broken ones; the careless client fails token reuse and paging; same seed, same report', async () => {
  await expectScenarioGrades('broken-paging', {
    goodPasses: ['token-reuse', 'paging', 'page-load', 'correctness'],
    carelessFails: ['token-reuse', 'paging'],
  });
}, 180_000);
