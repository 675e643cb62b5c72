import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { matchIds, START, testServer } from './fixtures.js';

/** The STU3 search tests (searchMatching.test.ts) again on R4, with R4's parameter names and shapes. */
const r4 = testServer('r4');

function search(type: string, params: Array<[string, string]>, headers = {}): Resource {
  const response = r4.request('GET', type, { params, headers });
  expect(response.status).toBe(200);
  const bundle = r4.body(response);
  expect(validateResource('r4', bundle)).toEqual([]);
  return bundle;
}

const ids = (type: string, params: Array<[string, string]>) => matchIds(search(type, params)).sort();

describe('R4 string parameters', () => {
  it('match the start of any name part by default, ignoring case and accents', () => {
    expect(ids('Patient', [['family', 'black']])).toEqual(['ruth', 'zoe']);
    expect(ids('Patient', [['family', 'BLACKW']])).toEqual(['zoe']);
    expect(ids('Patient', [['family', 'lack']])).toEqual([]);
    expect(ids('Patient', [['given', 'zoe']])).toEqual(['zoe']);
    expect(ids('Patient', [['name', 'dan']])).toEqual(['daniel']);
  });

  it(':contains matches anywhere and :exact is case- and accent-sensitive', () => {
    expect(ids('Patient', [['family:contains', 'ACK']])).toEqual(['ruth', 'zoe']);
    expect(ids('Patient', [['given:exact', 'Zoë']])).toEqual(['zoe']);
    expect(ids('Patient', [['given:exact', 'Zoe']])).toEqual([]);
  });

  it('Coverage class-value searches the R4 class entries (STU3 group and plan are gone)', () => {
    expect(ids('Coverage', [['class-value', 'gold']])).toEqual(['ruth-cov']);
    expect(ids('Coverage', [['class-value:exact', 'GRP-7']])).toEqual(['ruth-cov']);
    const ignored = search('Coverage', [['plan', 'GOLD-PLUS']]);
    expect(ignored['total']).toBe(1);
    expect(JSON.stringify(ignored)).toContain('"plan"');
  });
});

describe('R4 token parameters', () => {
  it('match a code in any system, system|code, and system| (any code)', () => {
    expect(ids('Patient', [['identifier', '1234567']])).toEqual(['ruth']);
    expect(ids('Patient', [['identifier', 'urn:oid:1.2.3|1234567']])).toEqual(['ruth']);
    expect(ids('Patient', [['identifier', 'urn:oid:1.2.3|']])).toEqual(['ruth', 'zoe']);
    expect(ids('Observation', [['code', 'http://loinc.org|8867-4']])).toEqual(['daniel-hr', 'ruth-hr-1', 'ruth-hr-2']);
  });

  it('read the observation category from its terminology.hl7.org system', () => {
    expect(ids('Observation', [['category', 'vital-signs']])).toEqual(['daniel-hr', 'ruth-hr-1', 'ruth-hr-2', 'ruth-weight']);
    expect(ids('Observation', [['category', 'http://terminology.hl7.org/CodeSystem/observation-category|vital-signs']])).toHaveLength(4);
    expect(ids('Observation', [['category', 'http://hl7.org/fhir/observation-category|vital-signs']])).toEqual([]);
  });

  it('match clinical-status and verification-status in their CodeableConcepts', () => {
    expect(ids('Condition', [['clinical-status', 'active']])).toEqual(['ruth-cond']);
    expect(ids('Condition', [['clinical-status', 'http://terminology.hl7.org/CodeSystem/condition-clinical|resolved']])).toEqual(['ruth-cond-old']);
    expect(ids('Condition', [['verification-status', 'provisional']])).toEqual(['ruth-cond-old']);
    expect(ids('AllergyIntolerance', [['clinical-status', 'active'], ['verification-status', 'confirmed']])).toEqual(['ruth-allergy']);
  });

  it('Encounter class is a Coding; Coverage class-type a CodeableConcept', () => {
    expect(ids('Encounter', [['class', 'EMER']])).toEqual(['ruth-enc-now']);
    expect(ids('Coverage', [['class-type', 'plan']])).toEqual(['ruth-cov']);
  });

  it(':not keeps resources without a matching token', () => {
    expect(ids('Patient', [['gender:not', 'female']])).toEqual(['daniel']);
  });
});

describe('R4 reference parameters', () => {
  it('accept a bare id, Type/id and an absolute URL for patient and subject', () => {
    const expected = ['ruth-hr-1', 'ruth-hr-2', 'ruth-lab', 'ruth-weight'];
    expect(ids('Observation', [['patient', 'ruth']])).toEqual(expected);
    expect(ids('Observation', [['subject', 'Patient/ruth']])).toEqual(expected);
    expect(ids('Observation', [['patient', 'https://any.host/base/Patient/ruth']])).toEqual(expected);
  });

  it('search each resource\'s R4 patient element: subject, AllergyIntolerance.patient, Coverage.beneficiary', () => {
    expect(ids('Encounter', [['patient', 'ruth']])).toEqual(['ruth-enc-now', 'ruth-enc-old']);
    expect(ids('Condition', [['patient', 'ruth']])).toEqual(['ruth-cond', 'ruth-cond-old']);
    expect(ids('AllergyIntolerance', [['patient', 'ruth']])).toEqual(['ruth-allergy']);
    expect(ids('MedicationRequest', [['patient', 'ruth']])).toEqual(['ruth-med']);
    expect(ids('Coverage', [['patient', 'ruth']])).toEqual(['ruth-cov']);
    expect(ids('Coverage', [['beneficiary', 'Patient/ruth']])).toEqual(['ruth-cov']);
  });

  it('encounter replaces STU3 context; MedicationRequest requester is the Reference itself', () => {
    expect(ids('Observation', [['encounter', 'ruth-enc-old']])).toEqual(['ruth-hr-1']);
    expect(ids('Condition', [['encounter', 'Encounter/ruth-enc-old']])).toEqual(['ruth-cond']);
    expect(ids('MedicationRequest', [['encounter', 'ruth-enc-now']])).toEqual(['ruth-med']);
    expect(ids('MedicationRequest', [['requester', 'Practitioner/jane']])).toEqual(['ruth-med']);
    const ignored = search('Condition', [['context', 'Encounter/ruth-enc-old']]);
    expect(ignored['total']).toBe(2);
  });
});

describe('R4 date parameters', () => {
  it('birthdate matches exactly at day precision and by range at coarser ones', () => {
    expect(ids('Patient', [['birthdate', '1951-08-23']])).toEqual(['ruth']);
    expect(ids('Patient', [['birthdate', 'lt1951']])).toEqual(['daniel']);
    expect(ids('Patient', [['birthdate', '1990']])).toEqual(['zoe']);
    expect(ids('Patient', [['birthdate', '1990-02-10']])).toEqual([]);
  });

  it('reads effective[x], Encounter.period with an open end, Condition recorded-date and AllergyIntolerance date', () => {
    expect(ids('Observation', [['date', '2024-11-20']])).toEqual(['ruth-weight']);
    expect(ids('Encounter', [['date', 'gt2026-06-01']])).toEqual(['ruth-enc-now']);
    expect(ids('Condition', [['recorded-date', '2020']])).toEqual(['ruth-cond']);
    expect(ids('Condition', [['recorded-date', 'lt2019']])).toEqual(['ruth-cond-old']);
    expect(ids('AllergyIntolerance', [['date', '2015-06']])).toEqual(['ruth-allergy']);
    expect(ids('MedicationRequest', [['authoredon', 'ge2025-12-01']])).toEqual(['ruth-med']);
  });

  it('_lastUpdated compares meta.lastUpdated', () => {
    expect(ids('Patient', [['_lastUpdated', `le${new Date(START).toISOString()}`]])).toEqual(['ruth']);
  });
});

describe('R4 combining, sorting and paging', () => {
  it('comma alternatives are OR, repeated parameters are AND', () => {
    expect(ids('Patient', [['_id', 'ruth,daniel']])).toEqual(['daniel', 'ruth']);
    expect(ids('Observation', [['patient', 'ruth'], ['category', 'vital-signs']])).toEqual(['ruth-hr-1', 'ruth-hr-2', 'ruth-weight']);
  });

  it('sorts newest first the way the client asks, and pages with working links', () => {
    const newest = search('Observation', [['patient', 'ruth'], ['_sort', '-date'], ['_count', '2']]);
    expect(matchIds(newest)).toEqual(['ruth-hr-2', 'ruth-hr-1']);
    expect(newest['total']).toBe(4);
    const next = (newest['link'] as Array<{ relation: string; url: string }>).find((link) => link.relation === 'next');
    expect(next?.url).toMatch(/^http:\/\/sandbox\.test\/fhir\/r4\/Observation\?/);
    const params = [...new URL(next?.url ?? '').searchParams] as Array<[string, string]>;
    expect(matchIds(search('Observation', params))).toEqual(['ruth-lab', 'ruth-weight']);
  });

  it(':missing finds resources with or without a value', () => {
    expect(ids('Patient', [['identifier:missing', 'true']])).toEqual(['daniel']);
  });

  it('Prefer: handling=strict refuses STU3 names that R4 renamed, naming them', () => {
    const response = r4.request('GET', 'Condition', { params: [['asserted-date', '2020']], headers: { prefer: 'handling=strict' } });
    expect(response.status).toBe(400);
    const outcome = r4.body(response);
    expect(validateResource('r4', outcome)).toEqual([]);
    expect(JSON.stringify(outcome)).toContain('asserted-date');
  });
});
