import type { Test } from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { DSTU2_TENANT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

/** FHIR and HTTP details a strict client or conformance suite checks, over HTTP, on both versions. */
const VERSIONS = [
  { version: 'stu3', tenant: STU3_TENANT, contentType: 'application/fhir+json; charset=utf-8', patient: 'ruth-black' },
  { version: 'dstu2', tenant: DSTU2_TENANT, contentType: 'application/json+fhir; charset=utf-8', patient: 'hugh-chau' },
] as const;

interface Outcome {
  resourceType: string;
  issue: Array<{ severity: string; code: string; diagnostics: string }>;
}

describe.each(VERSIONS)('$version', ({ version, tenant, contentType, patient }) => {
  let t: TestSandbox;
  let bearer: string;
  const base = `/fhir/${version}`;
  const authed = (request: Test): Test => request.set('Authorization', bearer);

  beforeAll(async () => {
    t = await startTestSandbox();
    bearer = `Bearer ${await t.token(tenant)}`;
  });

  function outcomeOf(response: { status: number; headers: Record<string, string>; text: string }, status: number): Outcome {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe(contentType);
    const outcome = JSON.parse(response.text) as Outcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    return outcome;
  }

  describe('If-None-Match on a read', () => {
    it.each(['W/"1"', '"1"', 'W/"9", W/"1"', '*'])('%s names the current version: 304 with the ETag and no body', async (ifNoneMatch) => {
      const response = await authed(t.http.get(`${base}/Patient/${patient}`)).set('If-None-Match', ifNoneMatch);
      expect(response.status).toBe(304);
      expect(response.headers['etag']).toBe('W/"1"');
      expect(response.text).toBe('');
    });

    it('a list without the current version: 200 with the resource', async () => {
      const response = await authed(t.http.get(`${base}/Patient/${patient}`)).set('If-None-Match', 'W/"9", "2"');
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toMatchObject({ resourceType: 'Patient', id: patient });
    });
  });

  describe('POST _search', () => {
    it.each([
      ['application/json', '{"family":"black","given":"ruth"}'],
      ['application/fhir+json', '{"resourceType":"Parameters"}'],
      ['text/plain', 'family=black'],
    ])('with a %s body is 415 saying to send a form, never an unfiltered 200', async (type, body) => {
      const response = await authed(t.http.post(`${base}/Patient/_search`)).set('Content-Type', type).send(body);
      const outcome = outcomeOf(response, 415);
      expect(outcome.issue[0]?.diagnostics).toContain('application/x-www-form-urlencoded');
    });

    it('with a form body filters, and with no body takes the URL parameters', async () => {
      const name = version === 'stu3' ? 'black' : 'chau';
      const form = JSON.parse((await authed(t.http.post(`${base}/Patient/_search`)).type('form').send(`family=${name}`)).text);
      expect(form.entry.map((entry: { resource: { id: string } }) => entry.resource.id)).toContain(patient);
      const all = JSON.parse((await authed(t.http.get(`${base}/Patient?_summary=count`))).text).total as number;
      expect(form.total).toBeLessThan(all);
      const urlOnly = await authed(t.http.post(`${base}/Patient/_search?family=${name}`));
      expect(urlOnly.status).toBe(200);
      expect(JSON.parse(urlOnly.text).total).toBe(form.total);
    });
  });

  describe('a read after a delete', () => {
    it('is 410 with an OperationOutcome whose issue type the version defines', async () => {
      const local = await startTestSandbox();
      const token = `Bearer ${await local.token(tenant)}`;
      expect((await local.http.delete(`${base}/Patient/${patient}`).set('Authorization', token)).status).toBe(204);
      const outcome = outcomeOf(await local.http.get(`${base}/Patient/${patient}`).set('Authorization', token), 410);
      expect(outcome.issue[0]).toMatchObject({ severity: 'error', code: 'processing' });
      expect(validateResource(version, outcome)).toEqual([]);
    });
  });
});
