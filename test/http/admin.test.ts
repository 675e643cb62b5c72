import { describe, expect, it } from 'vitest';
import { DSTU2_TENANT, R4_TENANT, STU3_OTHER_TENANT, STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

const tokenForm = (id: string, secret: string, scope = STU3_TENANT) => ({ grant_type: 'client_credentials', client_id: id, client_secret: secret, scope });

describe('admin API', () => {
  it('reports health and tenants', async () => {
    const { http } = await startTestSandbox();
    const health = await http.get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ready');
    const tenants = await http.get('/admin/tenants');
    expect(tenants.status).toBe(200);
    expect(tenants.body).toHaveLength(4);
    const stu3 = tenants.body.find((tenant: { id: string }) => tenant.id === STU3_TENANT);
    expect(stu3).toMatchObject({ name: 'Northside', fhirVersion: 'stu3' });
    expect(stu3.fhirBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1(:\d+)?\/fhir\/stu3$/);
    expect(stu3.patientCount).toBeGreaterThanOrEqual(12);
    expect(tenants.body.find((tenant: { id: string }) => tenant.id === DSTU2_TENANT).fhirVersion).toBe('dstu2');
    const r4 = tenants.body.find((tenant: { id: string }) => tenant.id === R4_TENANT);
    expect(r4).toMatchObject({ fhirVersion: 'r4', ready: true });
    expect(r4.fhirBaseUrl).toMatch(/\/fhir\/r4$/);
  });

  it('answers a method a route does not take with a JSON 405 and Allow, on admin and public routes alike', async () => {
    const { http } = await startTestSandbox();
    const admin = await http.put('/admin/tokens/expire-all').set('Content-Type', 'application/json').send({});
    expect(admin.status).toBe(405);
    expect(admin.headers['content-type']).toMatch(/^application\/json/);
    expect(admin.headers.allow).toBe('POST');
    expect(admin.body).toMatchObject({ error: 'method-not-allowed', message: 'PUT is not allowed on /admin/tokens/expire-all (allowed: POST)' });
    const jwks = await http.delete('/.well-known/jwks.json');
    expect(jwks.status).toBe(405);
    expect(jwks.headers['content-type']).toMatch(/^application\/json/);
    expect(jwks.body.error).toBe('method-not-allowed');
  });

  it('creates a client, shows its secret once, never again', async () => {
    const { http } = await startTestSandbox();
    const created = await http.post('/admin/clients').send({ id: 'new-app', tenants: [STU3_OTHER_TENANT] });
    expect(created.status).toBe(201);
    expect(typeof created.body.secret).toBe('string');
    const listed = await http.get('/admin/clients');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    expect(JSON.stringify(listed.body)).not.toMatch(/hash|salt/);
    const token = await http.post('/oauth2/token').type('form').send(tokenForm('new-app', created.body.secret, STU3_OTHER_TENANT));
    expect(token.status).toBe(200);
  });

  it('rotates a secret: both work until the old one is revoked, then only the new one', async () => {
    const { http } = await startTestSandbox();
    await http.post('/admin/clients').send({ id: 'rotating', secret: 'first-secret', tenants: '*' });
    const rotated = await http.post('/admin/clients/rotating/secrets').set('Content-Type', 'application/json');
    expect(rotated.status).toBe(201);
    const { secret: second, secretId: secondId } = rotated.body;
    expect((await http.post('/oauth2/token').type('form').send(tokenForm('rotating', 'first-secret'))).status).toBe(200);
    expect((await http.post('/oauth2/token').type('form').send(tokenForm('rotating', second))).status).toBe(200);

    const third = await http.post('/admin/clients/rotating/secrets').set('Content-Type', 'application/json');
    expect(third.status).toBe(409);
    expect(third.body.error).toBe('too-many-secrets');

    const client = (await http.get('/admin/clients/rotating')).body;
    const oldId = client.secrets.find((secret: { id: string }) => secret.id !== secondId).id;
    expect((await http.delete(`/admin/clients/rotating/secrets/${oldId}`)).status).toBe(204);
    const refused = await http.post('/oauth2/token').type('form').send(tokenForm('rotating', 'first-secret'));
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
    expect((await http.post('/oauth2/token').type('form').send(tokenForm('rotating', second))).status).toBe(200);

    const last = await http.delete(`/admin/clients/rotating/secrets/${secondId}`);
    expect(last.status).toBe(409);
  });

  it('refuses malformed client bodies naming the field', async () => {
    const { http } = await startTestSandbox();
    const response = await http.post('/admin/clients').send({ id: 'x', tenants: ['not-a-guid'] });
    expect(response.status).toBe(400);
    expect(response.body.field).toBe('tenants.0');
    const badJson = await http.post('/admin/clients').set('Content-Type', 'application/json').send('{"id":');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error).toBe('bad-json');
    const duplicate = await http.post('/admin/clients').send({ id: 'demo-client', tenants: '*' });
    expect(duplicate.status).toBe(409);
    expect((await http.delete('/admin/clients/ghost')).status).toBe(404);
  });

  it('requires the admin key when one is configured', async () => {
    const { http } = await startTestSandbox({ adminKey: 'let-me-in' });
    const refused = await http.get('/admin/tenants');
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('unauthorized');
    expect((await http.get('/admin/tenants').set('Authorization', 'Bearer let-me-in')).status).toBe(200);
    expect((await http.get('/admin/tenants').set('X-Admin-Key', 'let-me-in')).status).toBe(200);
    expect((await http.get('/admin/tenants').set('X-Admin-Key', 'let-me-ix')).status).toBe(401);
    expect((await http.get('/healthz')).status).toBe(200);
  });

  it('changes token policy: lifetime, expire-all, key rotation', async () => {
    const { http, token } = await startTestSandbox();
    const policy = await http.patch('/admin/tokens/policy').send({ lifetimeSeconds: 2 });
    expect(policy.status).toBe(200);
    expect(policy.body.lifetimeSeconds).toBe(2);
    const issued = await http.post('/oauth2/token').type('form').send(tokenForm('demo-client', 'demo-secret-change-me'));
    expect(issued.body.expires_in).toBe(2);

    const before = await token();
    expect((await http.post('/admin/tokens/expire-all').set('Content-Type', 'application/json')).status).toBe(200);
    const refused = await http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${before}`);
    expect(refused.status).toBe(401);

    const fresh = await token();
    const rotate = await http.post('/admin/keys/rotate').send({ graceSeconds: 0 });
    expect(rotate.status).toBe(200);
    expect((await http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${fresh}`)).status).toBe(401);
    const jwks = await http.get('/.well-known/jwks.json');
    expect(jwks.body.keys[0].kid).toBe(rotate.body.kid);

    const bad = await http.patch('/admin/tokens/policy').send({ lifetimeSeconds: -5 });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('lifetimeSeconds');
  });

  it('lists recent requests with route patterns', async () => {
    const { http, token } = await startTestSandbox();
    await http.get('/fhir/stu3/Patient/ruth-black').set('Authorization', `Bearer ${await token()}`);
    const recent = await http.get('/admin/requests?limit=5');
    expect(recent.status).toBe(200);
    const read = recent.body.find((entry: { path: string }) => entry.path === '/fhir/stu3/Patient/ruth-black');
    expect(read).toMatchObject({ method: 'GET', status: 200, tenantId: STU3_TENANT, clientId: 'demo-client' });
    expect(read.route).toBe('/fhir/:version/:type/:id');
    expect((await http.get('/admin/requests?limit=0')).status).toBe(400);
  });
});
