import { describe, expect, it } from 'vitest';
import { STU3_OTHER_TENANT, startTestSandbox } from '../support/testSandbox.js';

/**
 * The admin routes are loaded and built by the first admin request (a start serves /healthz without
 * them): the first request of a sandbox, and several arriving together, are answered as any later one.
 */
describe('admin routes built on first use', () => {
  it('answers the first admin request of a sandbox', async () => {
    const { http } = await startTestSandbox();
    const tenants = await http.get('/admin/tenants');
    expect(tenants.status).toBe(200);
    expect(tenants.headers['content-type']).toMatch(/^application\/json/);
    expect(tenants.body).toHaveLength(4);
  });

  it('answers concurrent first requests, each by its own route, method check and error', async () => {
    const { http } = await startTestSandbox();
    const [tenants, created, wrongMethod, unknown, faults, records] = await Promise.all([
      http.get('/admin/tenants'),
      http.post('/admin/clients').send({ id: 'first-use-app', tenants: [STU3_OTHER_TENANT] }),
      http.put('/admin/tokens/expire-all').set('Content-Type', 'application/json').send({}),
      http.get('/admin/no-such-route'),
      http.get('/admin/faults'),
      http.get(`/admin/tenants/${STU3_OTHER_TENANT}/records/Patient`),
    ]);
    expect(tenants.status).toBe(200);
    expect(tenants.body).toHaveLength(4);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'first-use-app' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
    expect(wrongMethod.body.error).toBe('method-not-allowed');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/json/);
    expect(faults.status).toBe(200);
    expect(records.status).toBe(200);
    expect(Array.isArray(records.body)).toBe(true);
    // The client created among them is there for the next request.
    const clients = await http.get('/admin/clients');
    expect(clients.body.map((client: { id: string }) => client.id)).toContain('first-use-app');
  });

  it('checks the admin key before loading any route', async () => {
    const { http } = await startTestSandbox({ adminKey: 'k-123' });
    const [refused, allowed] = await Promise.all([http.get('/admin/tenants'), http.get('/admin/tenants').set('Authorization', 'Bearer k-123')]);
    expect(refused.status).toBe(401);
    expect(allowed.status).toBe(200);
  });
});
