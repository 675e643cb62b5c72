import { describe, expect, it } from 'vitest';
import { DEFAULT_COUNT, MAX_COUNT, parseSearch, splitValues } from '../../src/fhir/search/parseSearch.js';
import type { SearchQuery } from '../../src/fhir/search/searchQuery.js';
import { adapterFor } from '../../src/fhir/versions/index.js';

const patientParams = adapterFor('stu3').searchParams['Patient'] ?? [];
const observationParams = adapterFor('stu3').searchParams['Observation'] ?? [];

function parse(params: Array<[string, string]>, strict = false, definitions = patientParams): SearchQuery {
  const result = parseSearch('Patient', params, definitions, { strict });
  if (!result.ok) throw new Error(`expected a parse, got ${result.error.message}`);
  return result.query;
}

function parseError(params: Array<[string, string]>, strict = false, definitions = patientParams) {
  const result = parseSearch('Patient', params, definitions, { strict });
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

describe('parseSearch', () => {
  it('defaults _count to 50 and lowers anything above 500', () => {
    expect(DEFAULT_COUNT).toBe(50);
    expect(parse([]).controls).toEqual({ count: 50, offset: 0, sort: [], totalOnly: false });
    expect(parse([['_count', '10000']]).controls.count).toBe(MAX_COUNT);
    expect(parse([['_count', '0']]).controls.count).toBe(0);
    expect(parse([['_offset', '20']]).controls.offset).toBe(20);
  });

  it('refuses malformed _count and _offset as a typed error value', () => {
    for (const bad of ['-1', 'ten', '1.5']) {
      const error = parseError([['_count', bad]]);
      expect(error.code).toBe('bad-request');
      expect(error.status).toBe(400);
      expect(error.issues[0]?.expression).toBe('_count');
    }
    expect(parseError([['_offset', 'x']]).code).toBe('bad-request');
  });

  it('reads string modifiers and normalises case and accents, except for :exact', () => {
    const [starts, contains, exact] = parse([['family', 'BLÄCK'], ['given:contains', 'Zoë'], ['name:exact', 'Zoë']]).filters;
    expect(starts).toMatchObject({ kind: 'string', mode: 'starts-with', values: ['black'] });
    expect(contains).toMatchObject({ kind: 'string', mode: 'contains', values: ['zoe'] });
    expect(exact).toMatchObject({ kind: 'string', mode: 'exact', values: ['Zoë'] });
  });

  it('splits comma alternatives, honouring \\, as a literal comma', () => {
    expect(splitValues('a,b,,c')).toEqual(['a', 'b', 'c']);
    expect(splitValues('a\\,b,c')).toEqual(['a,b', 'c']);
    expect(parse([['gender', 'male,female']]).filters[0]).toMatchObject({ conditions: [{ code: 'male' }, { code: 'female' }] });
  });

  it('reads token forms: code, system|code, |code, system|', () => {
    const [filter] = parse([['identifier', '123,urn:x|456,|789,urn:y|']]).filters;
    expect(filter).toMatchObject({
      kind: 'token',
      negated: false,
      conditions: [{ code: '123' }, { system: 'urn:x', code: '456' }, { system: '', code: '789' }, { system: 'urn:y' }],
    });
    expect(parse([['gender:not', 'male']]).filters[0]).toMatchObject({ negated: true });
  });

  it('reads every reference form as Type/id keys', () => {
    const keys = (value: string, name = 'patient') => {
      const [filter] = parse([[name, value]], false, observationParams).filters;
      return filter?.kind === 'reference' ? filter.keys : [];
    };
    expect(keys('123')).toEqual(['Patient/123']);
    expect(keys('Patient/123')).toEqual(['Patient/123']);
    expect(keys('http://host/fhir/stu3/Patient/123')).toEqual(['Patient/123']);
    expect(keys('123', 'subject')).toEqual(['Patient/123', 'Group/123']);
    expect(keys('Patient/123', 'subject')).toEqual(['Patient/123']);
    const [typed] = parse([['subject:Patient', '9']], false, observationParams).filters;
    expect(typed).toMatchObject({ keys: ['Patient/9'] });
  });

  it('reads date prefixes and partial dates', () => {
    const [filter] = parse([['birthdate', 'ge1950,lt1951-08,1951-08-23']]).filters;
    expect(filter).toMatchObject({
      kind: 'date',
      conditions: [
        { prefix: 'ge', range: { start: Date.UTC(1950, 0, 1), end: Date.UTC(1951, 0, 1) } },
        { prefix: 'lt', range: { start: Date.UTC(1951, 7, 1), end: Date.UTC(1951, 8, 1) } },
        { prefix: 'eq', range: { start: Date.UTC(1951, 7, 23), end: Date.UTC(1951, 7, 24) } },
      ],
    });
  });

  it('refuses bad dates and bad prefixes with 400 naming the parameter', () => {
    for (const bad of ['1951-13-01', 'yesterday', 'xx1951', 'ap1951', '1951-02-30']) {
      const error = parseError([['birthdate', bad]]);
      expect(error.status).toBe(400);
      expect(error.issues[0]?.expression).toBe('birthdate');
    }
  });

  it('treats _id and the spec client\'s id alike', () => {
    expect(parse([['_id', 'a,b']]).filters[0]).toEqual({ kind: 'id', name: '_id', ids: ['a', 'b'] });
    expect(parse([['id', 'a']]).filters[0]).toEqual({ kind: 'id', name: 'id', ids: ['a'] });
  });

  it('reads _sort in the STU3 form and the DSTU2 :asc/:desc form', () => {
    const stu3 = parse([['_sort', '-date,code']], false, observationParams).controls.sort;
    expect(stu3.map((key) => [key.name, key.descending])).toEqual([
      ['date', true],
      ['code', false],
    ]);
    const dstu2 = parse([['_sort:desc', 'date'], ['_sort:asc', '_id']], false, observationParams).controls.sort;
    expect(dstu2.map((key) => [key.name, key.descending, key.target.kind])).toEqual([
      ['date', true, 'param'],
      ['_id', false, 'id'],
    ]);
  });

  it('refuses sorting by something that is not a parameter, and unknown _sort modifiers', () => {
    expect(parseError([['_sort', 'colour']]).status).toBe(400);
    expect(parseError([['_sort:sideways', 'date']], false, observationParams).status).toBe(400);
  });

  it('ignores and reports unknown parameters, or refuses them under handling=strict', () => {
    const query = parse([['colour', 'blue'], ['_include', 'Patient:organization'], ['family', 'x']]);
    expect(query.ignored.map((ignored) => ignored.name)).toEqual(['colour', '_include']);
    expect(query.usedParams).toEqual([['family', 'x']]);
    const error = parseError([['colour', 'blue']], true);
    expect(error.code).toBe('not-supported');
    expect(error.status).toBe(400);
  });

  it('refuses modifiers a parameter type does not have', () => {
    expect(parseError([['birthdate:contains', '1950']]).status).toBe(400);
    expect(parseError([['family:below', 'x']]).status).toBe(400);
    expect(parseError([['gender:text', 'male']]).status).toBe(400);
  });

  it('reads :missing and _summary=count, and skips empty values and format parameters', () => {
    const query = parse([['gender:missing', 'true'], ['_summary', 'count'], ['family', ''], ['_format', 'json']]);
    expect(query.filters).toEqual([{ kind: 'missing', name: 'gender', paramIndex: 4, missing: true }]);
    expect(query.controls.totalOnly).toBe(true);
    expect(parseError([['_summary', 'everything']]).status).toBe(400);
    expect(parseError([['gender:missing', 'maybe']]).status).toBe(400);
  });
});
