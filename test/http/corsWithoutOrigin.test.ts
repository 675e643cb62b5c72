import type { IncomingMessage } from 'node:http';
import type { Response } from 'supertest';
import { describe, expect, it } from 'vitest';
import type { CorsOrigins } from '../../src/config/corsOrigins.js';
import { DEMO_CLIENT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

/**
 * A request without an Origin header (every server-side client) gets fixed CORS headers, first and in
 * this order, on every public endpoint, answers and errors alike: what @koa/cors 5 sets then (it varies
 * on Origin always and, with "*", allows any origin even without one). The middleware and the fast
 * read set them without running @koa/cors; this pins them to its output.
 */
const EXPOSED = 'ETag,Location,Content-Location,Last-Modified,Retry-After,WWW-Authenticate,X-Progress,X-Sandbox-Fault';
const EXPECTED: Array<[CorsOrigins, string[]]> = [
  ['*', ['Vary', 'Origin', 'Access-Control-Allow-Origin', '*', 'Access-Control-Expose-Headers', EXPOSED]],
  [['http://app.test'], ['Vary', 'Origin']],
  ['off', []],
];

const REQUESTS: Array<[string, (t: TestSandbox, token: string) => Promise<Response>, number]> = [
  ['metadata', (t) => t.http.get('/fhir/stu3/metadata'), 200],
  ['a read (the fast read)', (t, token) => t.http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${token}`), 200],
  ['a search', (t, token) => t.http.get('/fhir/stu3/Patient?family=black').set('Authorization', `Bearer ${token}`), 200],
  ['a read without a token', (t) => t.http.get('/fhir/stu3/Patient/ruth-black'), 401],
  ['a token request with a wrong secret', (t) => t.http.post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: 'wrong', scope: STU3_TENANT }), 401],
  ['JWKS', (t) => t.http.get('/.well-known/jwks.json'), 200],
];

describe('CORS headers of a request without Origin', () => {
  it.each(EXPECTED)('with %j', async (cors, expected) => {
    const t = await startTestSandbox({ cors });
    const token = await t.token();
    for (const [name, send, status] of REQUESTS) {
      const response = await send(t, token);
      expect(response.status, name).toBe(status);
      const raw = (response as Response & { res: IncomingMessage }).res.rawHeaders;
      expect(raw.slice(0, expected.length), name).toEqual(expected);
      const names = raw.filter((_value, index) => index % 2 === 0).map((header) => header.toLowerCase());
      if (cors !== '*') expect(names, name).not.toContain('access-control-allow-origin');
      if (cors === 'off') expect(names, name).not.toContain('vary');
    }
  });
});
