import { describe, expect, it } from 'vitest';
import { CheckUsageError } from '../../src/check/checkErrors.js';
import { resolveCheckOptions } from '../../src/check/checkOptions.js';
import { searchsetProblem } from '../../src/check/fhirJson.js';
import { hasAny, valuesAt } from '../../src/check/fieldPaths.js';
import { describeFailure } from '../../src/check/httpTransport.js';
import { reportedRequest, reportedResponse } from '../../src/check/reportedExchange.js';
import { clinicalFields, missingFields, patientFields } from '../../src/check/requiredFields.js';
import { resourceReferences, sampleByType } from '../../src/check/resourceReferences.js';
import { tamperToken } from '../../src/check/tamperToken.js';
import { VERSION_CALL_SETS, versionDeclaredAs } from '../../src/check/versionCallSets.js';
import { neededSearchParams } from '../../src/check/discoveryStage.js';

describe('version call sets', () => {
  it('reads the version from a declared fhirVersion', () => {
    expect(['1.0.2', '1.0', '3.0.1', '3.0.2', '4.0.1', '4.0.0', '5.0.0', '3.3.0', ''].map(versionDeclaredAs)).toEqual(['dstu2', 'dstu2', 'stu3', 'stu3', 'r4', 'r4', undefined, undefined, undefined]);
  });

  it("derives the search parameters to look for in metadata from the client's own searches", () => {
    expect(Object.fromEntries(neededSearchParams(VERSION_CALL_SETS.dstu2))).toEqual({
      Patient: ['family', 'given', 'name', 'birthdate', 'identifier'],
      Observation: ['patient', 'category'],
      Condition: ['patient'],
      Encounter: ['patient'],
      AllergyIntolerance: ['patient'],
      MedicationOrder: ['patient'],
      Coverage: ['patient'],
    });
    // R4 is one more row: STU3's search names, its own media type and MRN system.
    expect(Object.keys(Object.fromEntries(neededSearchParams(VERSION_CALL_SETS.r4)))).toEqual(['Patient', 'Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'MedicationRequest', 'Coverage', 'MedicationStatement']);
  });
});

describe('field paths and required fields', () => {
  const patient = {
    resourceType: 'Patient',
    name: [{ family: ['Chau'], given: ['Hugh'] }, { family: 'Other', given: ['Second'] }],
    identifier: [{ value: '42', type: { coding: [{ system: 'http://hl7.org/fhir/v2/0203', code: 'MR' }] } }],
    gender: 'male',
  };

  it('flattens arrays on the way and keeps only the first with [0]', () => {
    expect(valuesAt(patient, 'name.given')).toEqual(['Hugh', 'Second']);
    expect(valuesAt(patient, 'name[0].family')).toEqual(['Chau']);
    expect(valuesAt(patient, 'name.prefix')).toEqual([]);
    expect(hasAny(patient, ['birthDate', 'gender'])).toBe(true);
    expect(valuesAt({ a: '' }, 'a')).toEqual([]);
  });

  it('names what a patient lacks, the MRN by its type coding and system', () => {
    expect(missingFields(patient, patientFields(VERSION_CALL_SETS.dstu2))).toEqual(['birthDate']);
    expect(missingFields(patient, patientFields(VERSION_CALL_SETS.r4))).toEqual(['birthDate', 'MRN identifier']);
  });

  it("R4 Coverage: the group and plan displays STU3 kept in grouping are the names of the class entries typed group and plan", () => {
    const classEntry = (code: string, name?: string) => ({ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code }] }, value: `${code}-1`, ...(name === undefined ? {} : { name }) });
    const coverage = { resourceType: 'Coverage', period: { start: '2025-01-01' }, subscriberId: 'S1', class: [classEntry('group', 'Acme staff'), classEntry('plan')] };
    const requirements = clinicalFields(VERSION_CALL_SETS.r4).Coverage ?? [];
    expect(missingFields(coverage, requirements)).toEqual(['class (plan).name']);
    expect(missingFields({ ...coverage, class: [classEntry('group', 'Acme staff'), classEntry('plan', 'Gold')] }, requirements)).toEqual([]);
    expect(missingFields({ ...coverage, class: [classEntry('plan', 'Gold')] }, requirements)).toEqual(['class (group).name']);
  });
});

describe('searchset frames', () => {
  const bundle = (overrides: object) => ({
    resourceType: 'Bundle',
    type: 'searchset',
    total: 1,
    link: [{ relation: 'self', url: 'http://x/Patient' }],
    entry: [{ fullUrl: 'http://x/Patient/1', resource: { resourceType: 'Patient', id: '1' }, search: { mode: 'match' } }],
    ...overrides,
  });

  it('accepts a complete one and names the first thing missing otherwise', () => {
    expect(searchsetProblem(bundle({}))).toBeUndefined();
    expect(searchsetProblem({ resourceType: 'OperationOutcome' })).toBe('expected a Bundle, got OperationOutcome');
    expect(searchsetProblem(bundle({ type: 'collection' }))).toBe('expected a searchset Bundle, got type "collection"');
    expect(searchsetProblem(bundle({ total: undefined }))).toBe('the searchset has no total');
    expect(searchsetProblem(bundle({ link: [] }))).toBe('the searchset has no self link');
    expect(searchsetProblem(bundle({ entry: [{ resource: { resourceType: 'Patient' }, search: { mode: 'match' } }] }))).toBe('entry[0] has no fullUrl');
    expect(searchsetProblem(bundle({ entry: [{ fullUrl: 'u', resource: { resourceType: 'Patient' }, search: { mode: 'include' } }] }))).toBe('entry[0].search.mode is not "match"');
  });
});

describe('references', () => {
  it('keeps relative and own-base references, drops contained, urn: and other servers', () => {
    const resources = [
      { resourceType: 'Encounter', subject: { reference: 'Patient/p1' }, location: [{ location: { reference: 'http://me/fhir/stu3/Location/l1', display: 'Ward' } }] },
      { resourceType: 'Observation', performer: [{ reference: '#contained' }, { reference: 'urn:uuid:1234' }, { reference: 'http://other/fhir/Practitioner/x' }, { reference: 'Practitioner/d1/_history/2' }], contained: [{ resourceType: 'X', ref: { reference: 'Organization/hidden' } }] },
    ];
    expect(resourceReferences(resources, 'http://me/fhir/stu3')).toEqual(['Location/l1', 'Patient/p1', 'Practitioner/d1']);
  });

  it('samples every type in turn up to the limit', () => {
    expect(sampleByType(['Location/1', 'Location/2', 'Location/3', 'Organization/1', 'Practitioner/1', 'Practitioner/2'], 4)).toEqual(['Location/1', 'Organization/1', 'Practitioner/1', 'Location/2']);
  });
});

describe('tampering a token', () => {
  it('changes one character in the middle of a JWT signature, and nothing else', () => {
    const jwt = 'aaaa.bbbb.ABCDEFGHIJ';
    const tampered = tamperToken(jwt);
    expect(tampered).not.toBe(jwt);
    expect(tampered.slice(0, 10)).toBe('aaaa.bbbb.');
    expect([...tampered].filter((char, index) => char !== jwt[index])).toHaveLength(1);
    expect(tamperToken('opaque-token')).not.toBe('opaque-token');
  });
});

describe('reported requests', () => {
  it('redacts the Authorization header and client_secret, and keeps the rest readable', () => {
    const reported = reportedRequest({
      method: 'POST',
      url: 'http://x/token',
      headers: { Authorization: 'Basic ZGVtbzpzZWNyZXQ=', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=t1&client_id=demo&client_secret=s%26cret',
    });
    expect(reported).toEqual({
      method: 'POST',
      url: 'http://x/token',
      headers: { Authorization: 'Basic <redacted>', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=t1&client_id=demo&client_secret=<redacted>',
    });
  });

  it('redacts a client assertion in the form, and the tokens a token answer holds', () => {
    const request = {
      method: 'POST' as const,
      url: 'http://x/token',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=t1&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJh.eyJp.c2ln',
    };
    expect(reportedRequest(request).body).toBe('grant_type=client_credentials&scope=t1&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=<redacted>');
    const answer = '{"access_token":"eyJh.eyJp.c2ln","token_type":"Bearer","expires_in":3600,"refresh_token" : "r\\"1","scope":"t1"}';
    const response = reportedResponse({ request, status: 200, headers: {}, contentType: 'application/json', text: answer, ms: 3 });
    expect(response.body).toBe('{"access_token":"<redacted>","token_type":"Bearer","expires_in":3600,"refresh_token" : "<redacted>","scope":"t1"}');
  });
});

describe('transport failures in words', () => {
  it.each([
    [Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } }), 'connection refused: nothing listens there (ECONNREFUSED)'],
    [Object.assign(new Error('x'), { cause: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND partner.test' } }), 'the host name does not resolve (ENOTFOUND)'],
    [Object.assign(new Error('timeout'), { name: 'TimeoutError' }), 'no answer within 1500 ms'],
    [Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'TLS: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); --insecure accepts a self-signed test certificate'],
    [Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 'the connection closed before the answer was complete (other side closed)'],
  ])('%s', (error, words) => {
    expect(describeFailure(error, 1500)).toBe(words);
  });
});

describe('check options', () => {
  const base = { baseUrl: 'http://127.0.0.1:8080/fhir/stu3/', clientId: 'c', clientSecret: 's', tenant: 't' };

  it('fills defaults and drops a trailing slash from the base', () => {
    expect(resolveCheckOptions(base)).toMatchObject({ baseUrl: 'http://127.0.0.1:8080/fhir/stu3', timeoutMs: 10_000, strict: false, insecure: false, maxPages: 50 });
  });

  it.each([
    [{ baseUrl: 'partner' }, 'base URL: "partner" is not a URL (expected e.g. http://127.0.0.1:8080/fhir/stu3)'],
    [{ baseUrl: 'http://x/fhir?x=1' }, 'base URL: http://x/fhir?x=1 must not carry a query or fragment'],
    [{ tenant: ' ' }, '--tenant: is required'],
    [{ timeoutMs: 0 }, '--timeout: must be a positive number, got 0'],
    [{ tokenUrl: 'file:///etc/passwd' }, '--token-url: file:///etc/passwd is not an http(s) URL'],
  ])('refuses %j', (overrides, message) => {
    expect(() => resolveCheckOptions({ ...base, ...overrides })).toThrow(new CheckUsageError(message.split(':')[0] as string, message.slice(message.indexOf(':') + 2)));
  });
});
