import { describe, expect, it } from 'vitest';
import { matchIds, START, testServer } from './fixtures.js';
import type { Resource } from '../../src/fhir/types.js';

const stu3 = testServer('stu3');
const dstu2 = testServer('dstu2');

function search(server: typeof stu3, type: string, params: Array<[string, string]>): Resource {
  const response = server.request('GET', type, { params });
  expect(response.status).toBe(200);
  return server.body(response);
}

const ids = (server: typeof stu3, type: string, params: Array<[string, string]>) => matchIds(search(server, type, params)).sort();

describe('string parameters', () => {
  it('match the start of any name part by default, ignoring case and accents', () => {
    expect(ids(stu3, 'Patient', [['family', 'black']])).toEqual(['ruth', 'zoe']);
    expect(ids(stu3, 'Patient', [['family', 'BLACKW']])).toEqual(['zoe']);
    expect(ids(stu3, 'Patient', [['family', 'lack']])).toEqual([]);
    expect(ids(stu3, 'Patient', [['given', 'zoe']])).toEqual(['zoe']);
    expect(ids(stu3, 'Patient', [['name', 'dan']])).toEqual(['daniel']);
    expect(ids(stu3, 'Patient', [['name', 'adams']])).toEqual(['daniel']);
  });

  it(':contains matches anywhere; DSTU2 family arrays work the same', () => {
    expect(ids(stu3, 'Patient', [['family:contains', 'ACK']])).toEqual(['ruth', 'zoe']);
    expect(ids(stu3, 'Patient', [['given:contains', 'uth']])).toEqual(['ruth']);
    expect(ids(dstu2, 'Patient', [['family:contains', 'hau']])).toEqual(['hugh']);
    expect(ids(dstu2, 'Patient', [['name', 'mr']])).toEqual(['hugh']);
  });

  it(':exact is case- and accent-sensitive', () => {
    expect(ids(stu3, 'Patient', [['given:exact', 'Zoë']])).toEqual(['zoe']);
    expect(ids(stu3, 'Patient', [['given:exact', 'Zoe']])).toEqual([]);
    expect(ids(stu3, 'Patient', [['family:exact', 'black']])).toEqual([]);
    expect(ids(stu3, 'Patient', [['family:exact', 'Black']])).toEqual(['ruth']);
  });
});

describe('token parameters', () => {
  it('match a code in any system, system|code, |code (no system) and system| (any code)', () => {
    expect(ids(stu3, 'Patient', [['identifier', '1234567']])).toEqual(['ruth']);
    expect(ids(stu3, 'Patient', [['identifier', 'urn:oid:1.2.3|1234567']])).toEqual(['ruth']);
    expect(ids(stu3, 'Patient', [['identifier', 'urn:other|1234567']])).toEqual([]);
    expect(ids(stu3, 'Patient', [['identifier', 'urn:oid:1.2.3|']])).toEqual(['ruth', 'zoe']);
    expect(ids(stu3, 'Patient', [['gender', '|male']])).toEqual(['daniel']);
    expect(ids(stu3, 'Observation', [['code', 'http://loinc.org|8867-4']])).toEqual(['daniel-hr', 'ruth-hr-1', 'ruth-hr-2']);
  });

  it(':not keeps resources without a matching token', () => {
    expect(ids(stu3, 'Patient', [['gender:not', 'female']])).toEqual(['daniel']);
  });

  it('reads DSTU2 single CodeableConcept categories', () => {
    expect(ids(dstu2, 'Observation', [['category', 'vital-signs']])).toEqual(['hugh-hr', 'hugh-hr-old']);
  });
});

describe('reference parameters', () => {
  it('accept a bare id, Type/id and an absolute URL, and match absolute references in resources', () => {
    const expected = ['ruth-hr-1', 'ruth-hr-2', 'ruth-lab', 'ruth-weight'];
    expect(ids(stu3, 'Observation', [['patient', 'ruth']])).toEqual(expected);
    expect(ids(stu3, 'Observation', [['patient', 'Patient/ruth']])).toEqual(expected);
    expect(ids(stu3, 'Observation', [['subject', 'Patient/ruth']])).toEqual(expected);
    expect(ids(stu3, 'Observation', [['subject', 'ruth']])).toEqual(expected);
    expect(ids(stu3, 'Observation', [['patient', 'https://any.host/base/Patient/ruth']])).toEqual(expected);
  });

  it('search each version\'s own patient element', () => {
    expect(ids(stu3, 'Encounter', [['patient', 'ruth']])).toEqual(['ruth-enc-now', 'ruth-enc-old']);
    expect(ids(dstu2, 'Encounter', [['patient', 'hugh']])).toEqual(['hugh-enc']);
    expect(ids(stu3, 'Condition', [['patient', 'ruth']])).toEqual(['ruth-cond']);
    expect(ids(dstu2, 'Condition', [['patient', 'hugh']])).toEqual(['hugh-cond']);
    expect(ids(dstu2, 'MedicationOrder', [['patient', 'hugh']])).toEqual(['hugh-med']);
  });

  it('Coverage patient searches beneficiary (STU3) and subscriber (DSTU2)', () => {
    expect(ids(stu3, 'Coverage', [['patient', 'ruth']])).toEqual(['ruth-cov']);
    expect(ids(dstu2, 'Coverage', [['patient', 'hugh']])).toEqual(['hugh-cov']);
  });
});

describe('date parameters', () => {
  it('birthdate matches exactly at day precision and by range at coarser ones', () => {
    expect(ids(stu3, 'Patient', [['birthdate', '1951-08-23']])).toEqual(['ruth']);
    expect(ids(stu3, 'Patient', [['birthdate', '1951']])).toEqual(['ruth']);
    expect(ids(stu3, 'Patient', [['birthdate', 'lt1951']])).toEqual(['daniel']);
    expect(ids(stu3, 'Patient', [['birthdate', 'ge1951']])).toEqual(['ruth', 'zoe']);
    // Zoë's birthDate is only "1990-02": it lies within 1990 but not within one day of it.
    expect(ids(stu3, 'Patient', [['birthdate', '1990']])).toEqual(['zoe']);
    expect(ids(stu3, 'Patient', [['birthdate', '1990-02-10']])).toEqual([]);
  });

  it('reads effective[x] as dateTime or Period and Encounter.period with an open end', () => {
    expect(ids(stu3, 'Observation', [['date', '2024-11-20']])).toEqual(['ruth-weight']);
    expect(ids(stu3, 'Observation', [['date', 'ge2025-03'], ['patient', 'ruth']])).toEqual(['ruth-hr-1', 'ruth-hr-2']);
    expect(ids(stu3, 'Encounter', [['date', 'gt2026-06-01']])).toEqual(['ruth-enc-now']);
    expect(ids(stu3, 'Condition', [['asserted-date', '2020']])).toEqual(['ruth-cond']);
    expect(ids(dstu2, 'Condition', [['date-recorded', 'le2019-12-31']])).toEqual(['hugh-cond']);
  });

  it('_lastUpdated compares meta.lastUpdated', () => {
    // Fixtures are stored one second apart from START, Ruth first.
    expect(ids(stu3, 'Patient', [['_lastUpdated', `le${new Date(START).toISOString()}`]])).toEqual(['ruth']);
  });
});

describe('combining', () => {
  it('comma alternatives are OR, repeated parameters are AND', () => {
    expect(ids(stu3, 'Patient', [['_id', 'ruth,daniel']])).toEqual(['daniel', 'ruth']);
    expect(ids(stu3, 'Patient', [['id', 'ruth']])).toEqual(['ruth']);
    expect(ids(stu3, 'Patient', [['family', 'black'], ['given', 'ruth']])).toEqual(['ruth']);
    expect(ids(stu3, 'Patient', [['birthdate', 'ge1950'], ['birthdate', 'le1960']])).toEqual(['ruth']);
    expect(ids(stu3, 'Observation', [['patient', 'ruth'], ['category', 'vital-signs']])).toEqual(['ruth-hr-1', 'ruth-hr-2', 'ruth-weight']);
    expect(ids(stu3, 'Observation', [['patient', 'ruth,daniel'], ['code', '8867-4']])).toEqual(['daniel-hr', 'ruth-hr-1', 'ruth-hr-2']);
  });

  it('alternatives naming the same resource count and return it once, on every page', () => {
    const onePerPage = (server: typeof stu3, type: string, params: Array<[string, string]>) => {
      const total = search(server, type, params)['total'] as number;
      const pages = Array.from({ length: total + 1 }, (_, offset) => matchIds(search(server, type, [...params, ['_count', '1'], ['_offset', String(offset)]])));
      return { total, ids: pages.flat().sort() };
    };
    expect(onePerPage(stu3, 'Patient', [['gender', 'male,male']])).toEqual({ total: 1, ids: ['daniel'] });
    expect(onePerPage(stu3, 'Patient', [['identifier', '1234567,urn:oid:1.2.3|1234567']])).toEqual({ total: 1, ids: ['ruth'] });
    const vitals = ['daniel-hr', 'ruth-hr-1', 'ruth-hr-2', 'ruth-weight'];
    const category = 'vital-signs,http://hl7.org/fhir/observation-category|vital-signs';
    expect(onePerPage(stu3, 'Observation', [['category', category]])).toEqual({ total: 4, ids: vitals });
    expect(onePerPage(stu3, 'Observation', [['category', 'http://hl7.org/fhir/observation-category|,vital-signs']])).toEqual({ total: 5, ids: [...vitals, 'ruth-lab'].sort() });
    expect(onePerPage(dstu2, 'Observation', [['category', category]])).toEqual({ total: 2, ids: ['hugh-hr', 'hugh-hr-old'] });
    expect(onePerPage(stu3, 'Observation', [['patient', 'ruth,Patient/ruth']])).toEqual({ total: 4, ids: ['ruth-hr-1', 'ruth-hr-2', 'ruth-lab', 'ruth-weight'] });
    expect(onePerPage(stu3, 'Patient', [['family:contains', 'bla,lack']])).toEqual({ total: 2, ids: ['ruth', 'zoe'] });
    expect(onePerPage(stu3, 'Patient', [['_id', 'ruth,ruth']])).toEqual({ total: 1, ids: ['ruth'] });
    const summary = search(stu3, 'Observation', [['category', category], ['_summary', 'count']]);
    expect(summary['total']).toBe(4);
  });

  it(':missing finds resources with or without a value', () => {
    expect(ids(stu3, 'Patient', [['identifier:missing', 'true']])).toEqual(['daniel']);
    expect(ids(stu3, 'Patient', [['identifier:missing', 'false']])).toEqual(['ruth', 'zoe']);
  });

  it('a type with nothing stored answers an empty searchset', () => {
    const bundle = search(stu3, 'Practitioner', [['name', 'x']]);
    expect(bundle['total']).toBe(0);
    expect(bundle['entry']).toBeUndefined();
  });
});
