import { deflateSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE_LIMITS } from '../../src/fhir/resourceLimits.js';
import { STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

/**
 * Every answer the gateway gives to a body it cannot take, on a create, a batch and a POST _search:
 * status, content type and the OperationOutcome's code and diagnostics; and the bodies it does take
 * (gzip, deflate, a charset, an empty form or search body of another type).
 */
interface Case {
  name: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
  status: number;
  code: string;
  diagnostics: RegExp;
}

const deep = `${'['.repeat(RESOURCE_LIMITS.maxDepth + 5)}${']'.repeat(RESOURCE_LIMITS.maxDepth + 5)}`;
const JSON_TYPE = { 'Content-Type': 'application/fhir+json' };
const FORM_TYPE = { 'Content-Type': 'application/x-www-form-urlencoded' };

const REFUSED: Case[] = [
  { name: 'create of another type', path: 'Patient', headers: { 'Content-Type': 'text/plain' }, body: '{}', status: 415, code: 'invalid', diagnostics: /^unsupported content type \(send the body as application\/json\+fhir, application\/fhir\+json, application\/json\)$/ },
  { name: 'batch without a type', path: '', headers: {}, body: '{}', status: 415, code: 'invalid', diagnostics: /^unsupported content type \(send the body as / },
  { name: 'search form of another type', path: 'Patient/_search', headers: { 'Content-Type': 'text/plain' }, body: 'family=black', status: 415, code: 'invalid', diagnostics: /^unsupported content type \(send the search parameters of POST _search as application\/x-www-form-urlencoded, not text\/plain\)$/ },
  { name: 'create of bad JSON', path: 'Patient', headers: JSON_TYPE, body: '{"resourceType":', status: 400, code: 'invalid', diagnostics: /JSON/ },
  { name: 'batch with a __proto__ key', path: '', headers: JSON_TYPE, body: '{"resourceType":"Bundle","type":"batch","entry":[{"resource":{"\\u005f_proto__":{"x":1}}}]}', status: 400, code: 'invalid', diagnostics: /^Object contains forbidden prototype property$/ },
  { name: 'batch of a JSON string', path: '', headers: JSON_TYPE, body: '"Bundle"', status: 400, code: 'invalid', diagnostics: /only supports object and array/ },
  { name: 'create past the size limit', path: 'Patient', headers: JSON_TYPE, body: `{"x":"${'a'.repeat(RESOURCE_LIMITS.maxBytes)}"}`, status: 413, code: 'invalid', diagnostics: /^request body too large \(request entity too large\): this route accepts at most 5242880 bytes$/ },
  { name: 'search form past the size limit', path: 'Patient/_search', headers: FORM_TYPE, body: `family=${'a'.repeat(RESOURCE_LIMITS.maxBytes)}`, status: 413, code: 'invalid', diagnostics: /^request body too large \(request entity too large\): this route accepts at most 5242880 bytes$/ },
  { name: 'batch nested too deep', path: '', headers: JSON_TYPE, body: deep, status: 400, code: 'too-long', diagnostics: /nests deeper than this server accepts/ },
  { name: 'create gzip that does not decompress', path: 'Patient', headers: { ...JSON_TYPE, 'Content-Encoding': 'gzip' }, body: '{"resourceType":"Patient"}', status: 400, code: 'invalid', diagnostics: /Content-Encoding gzip/ },
  { name: 'search deflate that does not decompress', path: 'Patient/_search', headers: { ...FORM_TYPE, 'Content-Encoding': 'deflate' }, body: 'family=black', status: 400, code: 'invalid', diagnostics: /Content-Encoding deflate/ },
  { name: 'batch of an unknown encoding', path: '', headers: { ...JSON_TYPE, 'Content-Encoding': 'br2' }, body: '{}', status: 415, code: 'invalid', diagnostics: /^unsupported content type \(Unsupported Content-Encoding: br2\)$/ },
];

describe('gateway request bodies', () => {
  let t: TestSandbox;
  let token: string;

  beforeAll(async () => {
    t = await startTestSandbox();
    token = await t.token(STU3_TENANT);
  });

  const post = (path: string, headers: Record<string, string>, body: string | Buffer) => {
    let request = t.http.post(`/fhir/stu3${path === '' ? '' : `/${path}`}`).set('Authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(headers)) request = request.set(name, value);
    // Send the bytes as they are: superagent would serialise a Buffer or a form string for its type.
    return request.serialize((bytes: unknown) => bytes as string).send(body);
  };

  it.each(REFUSED)('refuses a $name', async ({ path, headers, body, status, code, diagnostics }) => {
    const response = await post(path, headers, body);
    expect({ status: response.status, type: response.headers['content-type'] }).toEqual({ status, type: 'application/fhir+json; charset=utf-8' });
    expect(response.body.resourceType).toBe('OperationOutcome');
    expect(response.body.issue[0]).toMatchObject({ severity: 'error', code, diagnostics: expect.stringMatching(diagnostics) });
  });

  it('reads gzip and deflate bodies, and a search form in another charset', async () => {
    const byGet = await t.http.get('/fhir/stu3/Patient?family=black').set('Authorization', `Bearer ${token}`);
    expect(byGet.body.total).toBeGreaterThan(0);
    const search = await post('Patient/_search', { ...FORM_TYPE, 'Content-Encoding': 'gzip' }, gzipSync('family=black'));
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: byGet.body.total });
    const latin = await post('Patient/_search', { 'Content-Type': 'application/x-www-form-urlencoded; charset=iso-8859-1' }, 'family=black');
    expect(latin.body).toMatchObject({ resourceType: 'Bundle', total: byGet.body.total });
    const batch = await post('', { ...JSON_TYPE, 'Content-Encoding': 'deflate' }, deflateSync(JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'Patient?family=black' } }] })));
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ resourceType: 'Bundle', type: 'batch-response', entry: [{ response: { status: '200 OK' }, resource: { total: byGet.body.total } }] });
  });

  it('reads a batch that starts with a byte order mark, as the UTF-8 decoder always did', async () => {
    const batch = await post('', JSON_TYPE, `\ufeff${JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'Patient?_count=1' } }] })}`);
    expect({ status: batch.status, type: batch.headers['content-type'] }).toEqual({ status: 200, type: 'application/fhir+json; charset=utf-8' });
    expect(batch.body).toMatchObject({ resourceType: 'Bundle', type: 'batch-response', entry: [{ response: { status: '200 OK' }, resource: { resourceType: 'Bundle', type: 'searchset' } }] });
  });

  it('takes an empty POST _search body of any type as no parameters', async () => {
    const all = await t.http.get('/fhir/stu3/Patient').set('Authorization', `Bearer ${token}`);
    for (const type of ['text/plain', 'application/json', 'application/x-www-form-urlencoded']) {
      const empty = await post('Patient/_search', { 'Content-Type': type }, '');
      expect(empty.status).toBe(200);
      expect(empty.body.total).toBe(all.body.total);
    }
  });
});
