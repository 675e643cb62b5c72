import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/configError.js';
import { parseCorsOrigins } from '../../src/config/corsOrigins.js';
import { parseProfile } from '../../src/config/loadProfile.js';
import { resolveConfig } from '../../src/config/sandboxConfig.js';
import { STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

const APP_ORIGIN = 'http://127.0.0.1:5173';
const exposed = (header: string | undefined) => (header ?? '').split(',').map((name) => name.trim().toLowerCase());

describe('CORS on the public endpoints', () => {
  it('answers a FHIR search preflight with 204, the methods and the headers a FHIR client sends', async () => {
    const { http } = await startTestSandbox();
    const response = await http
      .options('/fhir/stu3/Patient/_search')
      .set('Origin', APP_ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,prefer,if-none-match');
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    const methods = exposed(response.headers['access-control-allow-methods']);
    for (const method of ['get', 'post', 'put', 'delete']) expect(methods).toContain(method);
    const headers = exposed(response.headers['access-control-allow-headers']);
    for (const header of ['authorization', 'content-type', 'accept', 'prefer', 'if-match', 'if-none-match']) expect(headers).toContain(header);
    expect(Number(response.headers['access-control-max-age'])).toBeGreaterThan(0);
  });

  it('answers preflights on the token endpoint and JWKS too', async () => {
    const { http } = await startTestSandbox();
    for (const [path, method] of [['/oauth2/token', 'POST'], ['/.well-known/jwks.json', 'GET'], ['/fhir/dstu2/metadata', 'GET']] as const) {
      const response = await http.options(path).set('Origin', APP_ORIGIN).set('Access-Control-Request-Method', method);
      expect(response.status, path).toBe(204);
      expect(response.headers['access-control-allow-origin'], path).toBe('*');
    }
  });

  it('puts the origin and exposed headers on answers, errors included', async () => {
    const { http, token } = await startTestSandbox();
    const metadata = await http.get('/fhir/stu3/metadata').set('Origin', APP_ORIGIN);
    expect(metadata.status).toBe(200);
    expect(metadata.headers['access-control-allow-origin']).toBe('*');
    const names = exposed(metadata.headers['access-control-expose-headers']);
    for (const header of ['etag', 'location', 'content-location', 'retry-after', 'x-progress', 'x-sandbox-fault', 'last-modified', 'www-authenticate']) expect(names).toContain(header);

    const unauthorized = await http.get('/fhir/stu3/Patient').set('Origin', APP_ORIGIN);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers['access-control-allow-origin']).toBe('*');
    expect(unauthorized.headers['www-authenticate']).toMatch(/^Bearer /);

    const badClient = await http.post('/oauth2/token').set('Origin', APP_ORIGIN).type('form').send({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x', scope: STU3_TENANT });
    expect(badClient.status).toBe(401);
    expect(badClient.headers['access-control-allow-origin']).toBe('*');

    await http.post('/admin/faults').send({ name: 'down', match: { interaction: 'read' }, effect: { error: { status: 503, retryAfterSeconds: 3 } } });
    const faulted = await http.get('/fhir/stu3/Patient/ruth-black').set('Origin', APP_ORIGIN).set('Authorization', `Bearer ${await token()}`);
    expect(faulted.status).toBe(503);
    expect(faulted.headers['access-control-allow-origin']).toBe('*');
    expect(faulted.headers['x-sandbox-fault']).toBe('down');
    expect(JSON.parse(faulted.text).resourceType).toBe('OperationOutcome');

    const jwks = await http.get('/.well-known/jwks.json').set('Origin', APP_ORIGIN);
    expect(jwks.headers['access-control-allow-origin']).toBe('*');
  });

  it('never answers the admin API cross-origin', async () => {
    const { http } = await startTestSandbox();
    const listed = await http.get('/admin/tenants').set('Origin', APP_ORIGIN);
    expect(listed.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await http.options('/admin/faults').set('Origin', APP_ORIGIN).set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).not.toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('with a list of origins, echoes an allowed one and ignores the rest', async () => {
    const { http } = await startTestSandbox({ cors: [APP_ORIGIN] });
    const allowed = await http.get('/fhir/stu3/metadata').set('Origin', APP_ORIGIN);
    expect(allowed.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(allowed.headers.vary).toMatch(/Origin/);
    const other = await http.get('/fhir/stu3/metadata').set('Origin', 'http://evil.test');
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('"off" sends no CORS headers at all', async () => {
    const { http } = await startTestSandbox({ cors: 'off' });
    const response = await http.get('/fhir/stu3/metadata').set('Origin', APP_ORIGIN);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the --cors setting', () => {
  it('parses "*", "off" and comma-separated origins, refusing anything else by name', () => {
    expect(parseCorsOrigins('*', '--cors')).toBe('*');
    expect(parseCorsOrigins('off', '--cors')).toBe('off');
    expect(parseCorsOrigins('http://localhost:3000, https://app.example.test/', '--cors')).toEqual(['http://localhost:3000', 'https://app.example.test']);
    expect(() => parseCorsOrigins('localhost:3000', '--cors')).toThrow(ConfigError);
    expect(() => parseCorsOrigins('http://localhost:3000/app', '--cors')).toThrow(/--cors: "http:\/\/localhost:3000\/app" must be an origin/);
  });

  it('flag wins over environment, which wins over the profile; default is any origin', () => {
    expect(resolveConfig({}, {}).cors).toBe('*');
    expect(resolveConfig({}, { PATIENTS_SANDBOX_CORS: 'off' }).cors).toBe('off');
    expect(resolveConfig({ cors: 'http://a.test' }, { PATIENTS_SANDBOX_CORS: 'off' }).cors).toEqual(['http://a.test']);
    expect(() => resolveConfig({}, { PATIENTS_SANDBOX_CORS: 'ftp://x' })).toThrow(/PATIENTS_SANDBOX_CORS/);
  });

  it('a profile may set it, and a bad origin there names the field', () => {
    const base = { name: 'p', tenants: [{ id: STU3_TENANT, name: 'n', hospital: 'h', fhirVersion: 'stu3', patients: 1 }], clients: [{ id: 'c', secret: 'secret-123', tenants: '*' }] };
    expect(parseProfile({ ...base, cors: ['http://localhost:3000'] }, 'p.json').cors).toEqual(['http://localhost:3000']);
    expect(() => parseProfile({ ...base, cors: ['localhost'] }, 'p.json')).toThrow(/cors/);
  });
});
