import { describe, expect, it } from 'vitest';
import { STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

const KEY = 'admin-key-for-tests';
const records = `/tenants/${STU3_TENANT}/records`;

/** Every admin route, as a method, a path below /admin and a body for the ones that take one. */
const ADMIN_ROUTES: ReadonlyArray<readonly [method: string, path: string, body?: object]> = [
  ['GET', '/tenants'],
  ['GET', '/clients'],
  ['POST', '/clients', { id: 'sneaky', tenants: '*' }],
  ['GET', '/clients/demo-client'],
  ['DELETE', '/clients/limited-client'],
  ['POST', '/clients/demo-client/secrets'],
  ['DELETE', '/clients/demo-client/secrets/no-such-secret'],
  ['POST', '/clients/demo-client/revoke-tokens'],
  ['GET', '/tokens'],
  ['PATCH', '/tokens/policy', { lifetimeSeconds: 5 }],
  ['POST', '/tokens/expire-all'],
  ['POST', '/keys/rotate', { graceSeconds: 0 }],
  ['GET', '/faults'],
  ['POST', '/faults', { name: 'sneaky', effect: { error: { status: 503 } } }],
  ['DELETE', '/faults'],
  ['PATCH', '/faults/settings', { exposeHeader: false }],
  ['PATCH', '/faults/no-such-rule', { probability: 0.5 }],
  ['DELETE', '/faults/no-such-rule'],
  ['POST', '/faults/presets/flaky-partner', {}],
  ['GET', '/requests'],
  ['DELETE', '/requests'],
  ['GET', '/events'],
  ['GET', records],
  ['GET', `${records}/Patient`],
  ['POST', `${records}/Patient`, { resourceType: 'Patient', id: 'sneaky' }],
  ['GET', `${records}/Patient/ruth-black`],
  ['PUT', `${records}/Patient/ruth-black`, { resourceType: 'Patient', id: 'ruth-black' }],
  ['PATCH', `${records}/Patient/ruth-black`, { gender: 'other' }],
  ['DELETE', `${records}/Patient/ruth-black`],
];

/** Spellings of the /admin prefix that are other paths: not the admin API, so a 404 whatever the key. */
const OTHER_SPELLINGS = ['/ADMIN', '/Admin', '/aDmIn', '//admin', '/%61dmin', '/%61%64%6d%69%6e', '/admin%2F', '/%2Fadmin'];

type Http = Awaited<ReturnType<typeof startTestSandbox>>['http'];

function send(http: Http, method: string, path: string, body: object | undefined, key: string | undefined) {
  let request = http[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path).set('Content-Type', 'application/json');
  if (key) request = request.set('X-Admin-Key', key);
  return body === undefined ? request : request.send(body);
}

describe('the admin API answers under exactly /admin/ (paths are case-sensitive and matched as sent)', () => {
  it.each(OTHER_SPELLINGS)('%s/…: 404 with a JSON error for every admin route, with and without the key, and nothing changes', async (prefix) => {
    const { http, sandbox } = await startTestSandbox({ adminKey: KEY });
    const kid = sandbox.auth.keys.current.kid;
    for (const key of [undefined, KEY]) {
      for (const [method, path, body] of ADMIN_ROUTES) {
        const response = await send(http, method, `${prefix}${path}`, body, key);
        expect(response.status, `${method} ${prefix}${path}`).toBe(404);
        expect(response.headers['content-type'], `${method} ${prefix}${path}`).toMatch(/^application\/json/);
        expect(response.body.message, `${method} ${prefix}${path}`).toMatch(/^not found: no route for /);
      }
    }
    expect(sandbox.auth.clients.list().map((client) => client.id).sort()).toEqual(['demo-client', 'limited-client']);
    expect(sandbox.auth.clients.get('demo-client')?.secrets).toHaveLength(1);
    expect(sandbox.auth.keys.current.kid).toBe(kid);
    expect(sandbox.auth.policy.lifetimeSeconds).toBe(3600);
    expect(sandbox.faults.list()).toEqual([]);
    expect(sandbox.tenants.get(STU3_TENANT)?.store.read('Patient', 'ruth-black').status).toBe('found');
    expect(sandbox.tenants.get(STU3_TENANT)?.store.read('Patient', 'sneaky').status).not.toBe('found');
  });

  it('/admin/…/ with a trailing slash is the admin API: 401 without the key, never a 5xx with it', async () => {
    const { http } = await startTestSandbox({ adminKey: KEY });
    for (const [method, path, body] of ADMIN_ROUTES) {
      const refused = await send(http, method, `/admin${path}/`, body, undefined);
      expect(refused.status, `${method} /admin${path}/`).toBe(401);
      expect(refused.body.error).toBe('unauthorized');
      if (path === '/events') continue;
      const served = await send(http, method, `/admin${path}/`, body, KEY);
      expect(served.status, `${method} /admin${path}/ with the key`).toBeLessThan(500);
      expect(served.status, `${method} /admin${path}/ with the key`).not.toBe(401);
    }
  });

  it('other route families are case-sensitive too', async () => {
    const { http } = await startTestSandbox();
    const token = await http.post('/OAUTH2/TOKEN').type('form').send({ grant_type: 'client_credentials' });
    expect(token.status).toBe(404);
    expect((await http.get('/HEALTHZ')).status).toBe(404);
    expect((await http.get('/healthz')).status).toBe(200);
  });
});
