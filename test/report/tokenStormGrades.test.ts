import { it } from 'vitest';
import { expectScenarioGrades } from '../support/expectScenarioGrades.js';

it('token-storm: the simulator passes token reuse, refresh and expiry foresight; the careless client fails token reuse and paging; same seed, same report', async () => {
  await expectScenarioGrades('token-storm', {
    goodPasses: ['token-reuse', 'token-refresh', 'expiry-foresight', 'paging', 'page-load', 'correctness'],
    carelessFails: ['token-reuse', 'paging'],
  });
}, 180_000);
