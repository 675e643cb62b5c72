import { describe, expect, it } from 'vitest';
import { STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

const records = `/admin/tenants/${STU3_TENANT}/records`;
const EVIL = 'http://evil.example';

/** What a cross-site page can make a browser send without a preflight: simple methods, simple content types. */
const STATE_CHANGES: ReadonlyArray<readonly [method: 'post' | 'put' | 'patch' | 'delete', path: string, body: string]> = [
  ['post', '/admin/tokens/expire-all', ''],
  ['post', '/admin/keys/rotate', '{"graceSeconds":0}'],
  ['post', '/admin/clients', '{"id":"evil-app","secret":"evil-secret-123","tenants":"*"}'],
  ['post', '/admin/clients/demo-client/secrets', ''],
  ['post', '/admin/clients/demo-client/revoke-tokens', ''],
  ['post', '/admin/faults/presets/flaky-partner', ''],
  ['post', '/admin/faults', '{"name":"evil","effect":{"error":{"status":503}}}'],
  ['patch', '/admin/tokens/policy', '{"lifetimeSeconds":1}'],
  ['post', `${records}/Patient`, '{"resourceType":"Patient","id":"evil"}'],
  ['put', `${records}/Patient/ruth-black`, '{"resourceType":"Patient","id":"ruth-black"}'],
  ['delete', '/admin/clients/limited-client', ''],
  ['delete', `${records}/Patient/ruth-black`, ''],
];

type Started = Awaited<ReturnType<typeof startTestSandbox>>;

function unchanged({ sandbox }: Started, kid: string): void {
  expect(sandbox.auth.clients.list().map((client) => client.id).sort()).toEqual(['demo-client', 'limited-client']);
  expect(sandbox.auth.clients.get('demo-client')?.secrets).toHaveLength(1);
  expect(sandbox.auth.keys.current.kid).toBe(kid);
  expect(sandbox.auth.policy.lifetimeSeconds).toBe(3600);
  expect(sandbox.faults.list()).toEqual([]);
  expect(sandbox.tenants.get(STU3_TENANT)?.store.read('Patient', 'ruth-black').status).toBe('found');
  expect(sandbox.tenants.get(STU3_TENANT)?.store.read('Patient', 'evil').status).not.toBe('found');
}

describe('the admin API refuses what a web page could make a browser send (CSRF, DNS rebinding)', () => {
  it('a foreign Origin is refused with 403 on every route, whatever the content type, and nothing changes', async () => {
    const started = await startTestSandbox();
    const kid = started.sandbox.auth.keys.current.kid;
    for (const origin of [EVIL, 'null', 'http://localhost:3000']) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json']) {
        for (const [method, path, body] of STATE_CHANGES) {
          const response = await started.http[method](path).set('Origin', origin).set('Content-Type', type).send(body);
          expect(response.status, `${method} ${path} from ${origin} as ${type}`).toBe(403);
          expect(response.body.error).toBe('cross-origin-refused');
          expect(response.headers['access-control-allow-origin']).toBeUndefined();
        }
      }
      const read = await started.http.get('/admin/clients').set('Origin', origin);
      expect(read.status).toBe(403);
      const preflight = await started.http.options('/admin/clients').set('Origin', origin).set('Access-Control-Request-Method', 'POST');
      expect(preflight.status).toBe(403);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    }
    unchanged(started, kid);
  });

  it('a browser request for another site is refused even without an Origin (a <script src> or <img> GET)', async () => {
    const { http } = await startTestSandbox();
    for (const site of ['cross-site', 'same-site']) {
      const refused = await http.get(`${records}/Patient?_limit=1`).set('Sec-Fetch-Site', site).set('Sec-Fetch-Mode', 'no-cors');
      expect(refused.status, site).toBe(403);
      expect(refused.body.error).toBe('cross-origin-refused');
    }
    for (const site of ['same-origin', 'none']) {
      expect((await http.get(`${records}/Patient?_limit=1`).set('Sec-Fetch-Site', site)).status, site).toBe(200);
    }
  });

  it('the sandbox\'s own origin (as the request reached it, or --public-url) is fine, and never gets CORS headers', async () => {
    const { http } = await startTestSandbox({ publicBaseUrl: 'https://sandbox.example.test' });
    const own = await http.get('/admin/tenants').set('Host', 'localhost:8080').set('Origin', 'http://localhost:8080');
    expect(own.status).toBe(200);
    expect(own.headers['access-control-allow-origin']).toBeUndefined();
    const proxied = await http.post('/admin/tokens/expire-all').set('Host', 'sandbox.example.test').set('Origin', 'https://sandbox.example.test').set('Content-Type', 'application/json');
    expect(proxied.status).toBe(200);
    expect(proxied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a Host that is not a loopback name, the --public-url host or an allowed host is refused (DNS rebinding), also with the key', async () => {
    const { http } = await startTestSandbox({ adminKey: 'k', publicBaseUrl: 'https://sandbox.example.test:8443', allowedHosts: ['patients-sandbox'] });
    for (const host of ['evil.example', 'evil.example:8080', '192.168.1.20:8080', 'localhost.evil.example', 'patients-sandbox.evil.example', '']) {
      const refused = await http.get('/admin/tenants').set('Host', host).set('X-Admin-Key', 'k');
      expect(refused.status, `Host: ${host}`).toBe(403);
      expect(refused.body.error).toBe('host-not-allowed');
      expect(refused.body.message).toContain('--allowed-hosts');
    }
    for (const host of ['localhost', 'localhost:8080', 'LOCALHOST:9', '127.0.0.1:8080', '127.0.0.2', '[::1]:8080', 'sandbox.example.test', 'sandbox.example.test:443', 'patients-sandbox:8080']) {
      expect((await http.get('/admin/tenants').set('Host', host).set('X-Admin-Key', 'k')).status, `Host: ${host}`).toBe(200);
    }
    // The partner's own routes are for any host: only the control plane is protected this way.
    expect((await http.get('/healthz').set('Host', 'evil.example')).status).toBe(200);
    expect((await http.get('/fhir/stu3/metadata').set('Host', 'evil.example')).status).toBe(200);
  });

  it('state-changing calls with a simple-request method need Content-Type: application/json, even without a body', async () => {
    const started = await startTestSandbox();
    const kid = started.sandbox.auth.keys.current.kid;
    for (const [method, path, body] of STATE_CHANGES.filter(([method]) => method !== 'delete')) {
      for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        let request = started.http[method](path);
        if (type) request = request.set('Content-Type', type);
        const response = await request.send(body);
        expect(response.status, `${method} ${path} as ${type}`).toBe(415);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.body).toMatchObject({ error: 'json-required' });
        expect(response.body.message).toContain('Content-Type: application/json');
      }
    }
    unchanged(started, kid);
    const bodyless = await started.http.post('/admin/tokens/expire-all').set('Content-Type', 'application/json');
    expect(bodyless.status).toBe(200);
    const withCharset = await started.http.post('/admin/clients/demo-client/revoke-tokens').set('Content-Type', 'application/json; charset=utf-8');
    expect(withCharset.status).toBe(204);
    expect((await started.http.delete('/admin/clients/limited-client')).status).toBe(204);
  });
});
