import { gzipSync } from 'node:zlib';
import type { Test } from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateResource } from '../../src/fhir/validation/validateResource.js';
import { DSTU2_TENANT, R4_TENANT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

describe('the token endpoint', () => {
  it('answers a body whose Content-Encoding does not decode with an RFC 6749 invalid_request, not server_error', async () => {
    const t = await startTestSandbox();
    const response = await t.http.post('/oauth2/token').type('form').set('Content-Encoding', 'gzip').send('grant_type=client_credentials');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/Content-Encoding gzip/) });
  });
});

/** FHIR and HTTP details a strict client or conformance suite checks, over HTTP, on both versions. */
const VERSIONS = [
  { version: 'stu3', tenant: STU3_TENANT, contentType: 'application/fhir+json; charset=utf-8', patient: 'ruth-black' },
  { version: 'dstu2', tenant: DSTU2_TENANT, contentType: 'application/json+fhir; charset=utf-8', patient: 'hugh-chau' },
  { version: 'r4', tenant: R4_TENANT, contentType: 'application/fhir+json; charset=utf-8', patient: 'ruth-black' },
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
      const name = version === 'dstu2' ? 'chau' : 'black';
      const form = JSON.parse((await authed(t.http.post(`${base}/Patient/_search`)).type('form').send(`family=${name}`)).text);
      expect(form.entry.map((entry: { resource: { id: string } }) => entry.resource.id)).toContain(patient);
      const all = JSON.parse((await authed(t.http.get(`${base}/Patient?_summary=count`))).text).total as number;
      expect(form.total).toBeLessThan(all);
      const urlOnly = await authed(t.http.post(`${base}/Patient/_search?family=${name}`));
      expect(urlOnly.status).toBe(200);
      expect(JSON.parse(urlOnly.text).total).toBe(form.total);
    });
  });

  describe('a body whose Content-Encoding does not decode', () => {
    it('is 400 OperationOutcome on a create and on a POST _search; a real gzip body is read', async () => {
      const mediaType = contentType.split(';')[0] as string;
      const create = await authed(t.http.post(`${base}/Patient`)).set('Content-Type', mediaType).set('Content-Encoding', 'gzip').send('{"resourceType":"Patient"}');
      expect(outcomeOf(create, 400).issue[0]?.diagnostics).toMatch(/Content-Encoding gzip/);
      const search = await authed(t.http.post(`${base}/Patient/_search`)).type('form').set('Content-Encoding', 'deflate').send('family=black');
      expect(outcomeOf(search, 400).issue[0]?.diagnostics).toMatch(/Content-Encoding deflate/);
      const gzipped = await authed(t.http.post(`${base}/Patient`)).set('Content-Type', mediaType).set('Content-Encoding', 'gzip')
        // Send the gzip bytes as they are: superagent would serialise a Buffer as JSON for a JSON type.
        .serialize((bytes: unknown) => bytes as string)
        .send(gzipSync('{"resourceType":"Patient"}'));
      expect(gzipped.status).toBe(201);
    });
  });

  describe('Prefer: return=minimal', () => {
    it('answers a create and an update with no body (not text/plain "Created"), keeping Location and ETag', async () => {
      const mediaType = contentType.split(';')[0] as string;
      const created = await authed(t.http.post(`${base}/Patient`)).set('Content-Type', mediaType).set('Prefer', 'return=minimal').send('{"resourceType":"Patient"}');
      expect(created.status).toBe(201);
      expect(created.text).toBe('');
      expect(created.headers['content-type']).toBeUndefined();
      expect(created.headers['location']).toMatch(new RegExp(`${base}/Patient/[^/]+/_history/1$`));
      expect(created.headers['etag']).toBe('W/"1"');
      const id = (created.headers['location'] as string).split('/').at(-3) as string;
      const updated = await authed(t.http.put(`${base}/Patient/${id}`)).set('Content-Type', mediaType).set('Prefer', 'return=minimal').send(`{"resourceType":"Patient","id":"${id}","active":true}`);
      expect(updated.status).toBe(200);
      expect(updated.text).toBe('');
      expect(updated.headers['content-type']).toBeUndefined();
      expect(updated.headers['etag']).toBe('W/"2"');
    });
  });

  describe('a read after a delete', () => {
    it('is 410 with an OperationOutcome whose issue type the version defines', async () => {
      const local = await startTestSandbox();
      const token = `Bearer ${await local.token(tenant)}`;
      expect((await local.http.delete(`${base}/Patient/${patient}`).set('Authorization', token)).status).toBe(204);
      const outcome = outcomeOf(await local.http.get(`${base}/Patient/${patient}`).set('Authorization', token), 410);
      // `deleted` exists from R4 on; earlier versions say `processing`.
      expect(outcome.issue[0]).toMatchObject({ severity: 'error', code: version === 'r4' ? 'deleted' : 'processing' });
      expect(validateResource(version, outcome)).toEqual([]);
    });
  });
});
