import { describe, expect, it } from 'vitest';
import { pagingLinks } from '../../src/fhir/search/pagingLinks.js';
import type { Resource } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { matchIds, testServer } from './fixtures.js';

const stu3 = testServer('stu3');
const dstu2 = testServer('dstu2');

type Link = { relation: string; url: string };
const linksOf = (bundle: Resource) => Object.fromEntries((bundle['link'] as Link[]).map((link) => [link.relation, link.url]));

function search(server: typeof stu3, type: string, params: Array<[string, string]>): Resource {
  const response = server.request('GET', type, { params });
  expect(response.status).toBe(200);
  return server.body(response);
}

/** Many patients with the same family name, so paging has something to page. */
function crowdedServer() {
  const resources: Resource[] = [];
  for (let i = 0; i < 23; i++) {
    resources.push({ resourceType: 'Patient', id: `p${String(i).padStart(2, '0')}`, name: [{ family: i % 2 === 0 ? 'Same' : 'Other' }], birthDate: `19${50 + (i % 5)}-01-01` });
  }
  return testServer('stu3', { resources });
}

describe('sorting', () => {
  it('_sort=-date puts the newest vital sign first (STU3 form)', () => {
    const bundle = search(stu3, 'Observation', [['patient', 'ruth'], ['category', 'vital-signs'], ['_sort', '-date']]);
    expect(matchIds(bundle)).toEqual(['ruth-hr-2', 'ruth-hr-1', 'ruth-weight']);
  });

  it('_sort:desc=date does the same (DSTU2 form), on both versions', () => {
    expect(matchIds(search(dstu2, 'Observation', [['patient', 'hugh'], ['_sort:desc', 'date']]))).toEqual(['hugh-hr', 'hugh-hr-old']);
    expect(matchIds(search(stu3, 'Observation', [['patient', 'ruth'], ['_sort:desc', 'date']]))[0]).toBe('ruth-hr-2');
    expect(matchIds(search(dstu2, 'Observation', [['patient', 'hugh'], ['_sort', '-date']]))[0]).toBe('hugh-hr');
  });

  it('the latest encounter comes first with _sort:desc=date&_count=1, an ongoing one counting as latest', () => {
    const bundle = search(stu3, 'Encounter', [['patient', 'ruth'], ['_sort:desc', 'date'], ['_count', '1']]);
    expect(matchIds(bundle)).toEqual(['ruth-enc-now']);
    expect(bundle['total']).toBe(2);
  });

  it('ascending sorts, multiple keys, ties broken by id, missing values last', () => {
    expect(matchIds(search(stu3, 'Patient', [['_sort', 'birthdate']]))).toEqual(['daniel', 'ruth', 'zoe']);
    expect(matchIds(search(stu3, 'Patient', [['_sort', '-birthdate']]))).toEqual(['zoe', 'ruth', 'daniel']);
    expect(matchIds(search(stu3, 'Patient', [['_sort', 'gender,-_id']]))).toEqual(['zoe', 'ruth', 'daniel']);
    expect(matchIds(search(stu3, 'Patient', [['_sort', 'identifier']]))).toEqual(['ruth', 'zoe', 'daniel']);
    expect(matchIds(search(stu3, 'Patient', [['_sort', '-identifier']]))).toEqual(['zoe', 'ruth', 'daniel']);
    const crowded = crowdedServer();
    const sameYear = matchIds(search(crowded, 'Patient', [['_sort', 'birthdate'], ['_count', '5']]));
    expect(sameYear).toEqual(['p00', 'p05', 'p10', 'p15', 'p20']);
  });
});

describe('paging', () => {
  it('total counts every match; links carry the search and move by _count', () => {
    const crowded = crowdedServer();
    const first = search(crowded, 'Patient', [['family', 'same'], ['_count', '5']]);
    expect(first['total']).toBe(12);
    expect(matchIds(first)).toEqual(['p00', 'p02', 'p04', 'p06', 'p08']);
    const links = linksOf(first);
    expect(links['self']).toBe(`${crowded.baseUrl}/Patient?family=same&_count=5&_offset=0`);
    expect(links['next']).toBe(`${crowded.baseUrl}/Patient?family=same&_count=5&_offset=5`);
    expect(links['last']).toBe(`${crowded.baseUrl}/Patient?family=same&_count=5&_offset=10`);
    expect(links['previous']).toBeUndefined();
  });

  it('following next pages through every match once, in a stable order', () => {
    const crowded = crowdedServer();
    const seen: string[] = [];
    let url: string | undefined = `${crowded.baseUrl}/Patient?family=same&_count=5`;
    let pages = 0;
    while (url !== undefined && pages < 10) {
      const query = new URL(url).searchParams;
      const bundle = search(crowded, 'Patient', [...query]);
      seen.push(...matchIds(bundle));
      url = linksOf(bundle)['next'];
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['p00', 'p02', 'p04', 'p06', 'p08', 'p10', 'p12', 'p14', 'p16', 'p18', 'p20', 'p22']);
  });

  it('a middle page has previous and next; sorting survives paging', () => {
    const crowded = crowdedServer();
    const bundle = search(crowded, 'Patient', [['_sort', '-_id'], ['_count', '4'], ['_offset', '4']]);
    expect(matchIds(bundle)).toEqual(['p18', 'p17', 'p16', 'p15']);
    const links = linksOf(bundle);
    expect(links['previous']).toContain('_sort=-_id&_count=4&_offset=0');
    expect(links['next']).toContain('_offset=8');
  });

  it('an offset past the end gives no entries but the right total', () => {
    const bundle = search(stu3, 'Patient', [['_offset', '100']]);
    expect(bundle['total']).toBe(3);
    expect(bundle['entry']).toBeUndefined();
  });

  it('_count=0 and _summary=count give only the total', () => {
    for (const params of [[['_count', '0']], [['_summary', 'count']]] as Array<Array<[string, string]>>) {
      const bundle = search(stu3, 'Observation', [['patient', 'ruth'], ...params]);
      expect(bundle['total']).toBe(4);
      expect(bundle['entry']).toBeUndefined();
      expect(Object.keys(linksOf(bundle))).toEqual(['self']);
    }
  });

  it('pagingLinks keeps the characters FHIR queries are read by and encodes the rest', () => {
    const links = pagingLinks('http://h/fhir/Patient', [['family:contains', 'o\'b & c'], ['identifier', 'urn:x|1,2']], { count: 10, offset: 0, total: 3 }, true);
    expect(links[0]?.url).toBe("http://h/fhir/Patient?family:contains=o'b%20%26%20c&identifier=urn:x|1,2&_count=10&_offset=0");
  });
});

describe('searchset bundles', () => {
  it('have total, self link, fullUrl, resource and search.mode match, and validate in both versions', () => {
    const bundle = search(stu3, 'Observation', [['patient', 'ruth'], ['_count', '2']]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 4 });
    const entries = bundle['entry'] as Array<{ fullUrl: string; resource: Resource; search: { mode: string } }>;
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry.fullUrl).toBe(`${stu3.baseUrl}/Observation/${entry.resource.id}`);
      expect(entry.search.mode).toBe('match');
    }
    expect(validateResource('stu3', bundle)).toEqual([]);
    expect(validateResource('dstu2', search(dstu2, 'Patient', [['family:contains', 'chau'], ['unknown', 'x']]))).toEqual([]);
  });

  it('report ignored parameters in an outcome entry (both versions), valid against each version', () => {
    for (const server of [stu3, dstu2]) {
      const bundle = search(server, 'Patient', [['shoe-size', '44'], ['_count', '1']]);
      const entries = bundle['entry'] as Array<{ resource: Resource; search: { mode: string } }>;
      const outcome = entries.find((entry) => entry.search.mode === 'outcome');
      expect(outcome?.resource).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'not-supported' }] });
      expect(JSON.stringify(outcome?.resource)).toContain('shoe-size');
      expect(linksOf(bundle)['self']).not.toContain('shoe-size');
      expect(validateResource(server.provider.adapter.version, bundle)).toEqual([]);
    }
  });

  it('embed each stored resource text unchanged', () => {
    const bundle = stu3.request('GET', 'Patient', { params: [['_id', 'ruth']] });
    const read = stu3.request('GET', 'Patient/ruth');
    expect(bundle.json?.toString()).toContain(`"resource":${read.json?.toString()}`);
  });
});
