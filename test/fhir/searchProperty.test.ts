import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleFhirRequest } from '../../src/fhir/server.js';
import type { FhirVersion, Resource } from '../../src/fhir/types.js';
import { searchDataset } from './searchDatasets.js';
import { referenceSearch } from './searchOracle.js';
import { queryArbitrary, valuePools, type GeneratedQuery } from './searchQueries.js';

/**
 * The search engine (indexes, posting-list unions, the counting shortcut, sorting, paging) against
 * a brute-force filter over the same resources, on random queries. Seeded: a failure prints the
 * seed and the shrunk query, and SEARCH_PROPERTY_SEED / SEARCH_PROPERTY_RUNS replay or widen a run.
 */
const SEED = Number(process.env['SEARCH_PROPERTY_SEED'] ?? 20260115);
const RUNS = Number(process.env['SEARCH_PROPERTY_RUNS'] ?? 1500);
const BASE_URL = 'http://sandbox.test/fhir';

interface EngineAnswer {
  status: number;
  total: number;
  ids: string[];
  outcome: boolean;
}

describe.each([
  ['stu3', 'plain'],
  ['stu3', 'churned'],
  ['dstu2', 'plain'],
  ['dstu2', 'churned'],
  ['r4', 'plain'],
  ['r4', 'churned'],
] as Array<[FhirVersion, 'plain' | 'churned']>)('search on %s %s data agrees with a brute-force filter', (version, variant) => {
  const dataset = searchDataset(version, variant);
  const definitions = dataset.provider.adapter.searchParams;
  const pools = valuePools(dataset.resources, definitions);

  const engine = ({ query, params }: GeneratedQuery): EngineAnswer => {
    const response = handleFhirRequest({ method: 'GET', path: query.resourceType, params, headers: {}, baseUrl: `${BASE_URL}/${version}` }, dataset.provider);
    const bundle = JSON.parse((response.json ?? Buffer.from(JSON.stringify(response.resource))).toString()) as Resource;
    const entries = (bundle['entry'] ?? []) as Array<{ resource: Resource; search?: { mode: string } }>;
    return {
      status: response.status,
      total: bundle['total'] as number,
      ids: entries.filter((entry) => entry.search?.mode === 'match').map((entry) => entry.resource.id as string),
      outcome: entries.some((entry) => entry.search?.mode === 'outcome'),
    };
  };

  it(`${RUNS} random queries: same total, same page, same order`, () => {
    fc.assert(
      fc.property(queryArbitrary(pools), (generated) => {
        const expected = referenceSearch(dataset.resources, definitions[generated.query.resourceType] ?? [], generated.query);
        expect(engine(generated)).toEqual({ status: 200, total: expected.total, ids: expected.ids, outcome: false });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
