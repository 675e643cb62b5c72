import { it } from 'vitest';
import { expectScenarioGrades } from '../support/expectScenarioGrades.js';

it('bad-day: the simulator passes Retry-After and backoff; the careless client fails token reuse, Retry-After, backoff and paging; same seed, same report', async () => {
  await expectScenarioGrades('bad-day', {
    goodPasses: ['token-reuse', 'retry-after', 'backoff', 'paging', 'page-load', 'correctness'],
    carelessFails: ['token-reuse', 'retry-after', 'backoff', 'paging'],
  });
}, 180_000);
