import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { STU3_OTHER_TENANT, STU3_TENANT, startTestSandbox } from '../support/testSandbox.js';

const read = '/fhir/stu3/Patient/ruth-black';
const json = { 'Content-Type': 'application/json' };

describe('token trust over HTTP', () => {
  it('key rotation with grace 0 after one with grace 60 refuses tokens of both earlier keys, and the JWKS lists only the current key', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    const { http, token } = await startTestSandbox({}, { clock });
    const firstKey = `Bearer ${await token()}`;
    expect((await http.post('/admin/keys/rotate').set(json).send({ graceSeconds: 60 })).status).toBe(200);
    const secondKey = `Bearer ${await token()}`;
    expect((await http.get(read).set('Authorization', firstKey)).status).toBe(200);

    const rotated = await http.post('/admin/keys/rotate').set(json).send({ graceSeconds: 0 });
    expect(rotated.status).toBe(200);
    for (const bearer of [firstKey, secondKey]) {
      const refused = await http.get(read).set('Authorization', bearer);
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(JSON.parse(refused.text).resourceType).toBe('OperationOutcome');
    }
    const jwks = await http.get('/.well-known/jwks.json');
    expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toEqual([rotated.body.kid]);
    expect((await http.get(read).set('Authorization', `Bearer ${await token()}`)).status).toBe(200);
  });

  it('a deleted client registered again under the same id does not revive its old tokens, even for a tenant the new registration may not use', async () => {
    const { http } = await startTestSandbox();
    const form = (secret: string, scope: string) => ({ grant_type: 'client_credentials', client_id: 'reborn', client_secret: secret, scope });
    expect((await http.post('/admin/clients').send({ id: 'reborn', secret: 'first-life-secret', tenants: '*' })).status).toBe(201);
    const issued = await http.post('/oauth2/token').type('form').send(form('first-life-secret', STU3_TENANT));
    const oldToken = `Bearer ${issued.body.access_token}`;
    expect((await http.get(read).set('Authorization', oldToken)).status).toBe(200);

    expect((await http.delete('/admin/clients/reborn')).status).toBe(204);
    expect((await http.post('/admin/clients').send({ id: 'reborn', secret: 'second-life-secret', tenants: [STU3_OTHER_TENANT] })).status).toBe(201);
    const refused = await http.get(read).set('Authorization', oldToken);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(JSON.parse(refused.text).issue[0].diagnostics).toContain('registered again');

    const fresh = await http.post('/oauth2/token').type('form').send(form('second-life-secret', STU3_OTHER_TENANT));
    expect(fresh.status).toBe(200);
    expect((await http.get('/fhir/stu3/Patient').set('Authorization', `Bearer ${fresh.body.access_token}`)).status).toBe(200);
  });

  it('expire-all holds for a token the ledger no longer lists', async () => {
    const { http, token, sandbox } = await startTestSandbox();
    const early = `Bearer ${await token()}`;
    for (let index = 0; index < 10_050; index++) {
      sandbox.auth.issuedTokens.record({ jti: `filler-${index}`, clientId: 'demo-client', tenantId: STU3_TENANT, registration: 1, sequence: 0, issuedAt: sandbox.clock.now(), expiresAt: sandbox.clock.now() + 3_600_000 });
    }
    expect((await http.post('/admin/tokens/expire-all').set(json)).status).toBe(200);
    expect((await http.get(read).set('Authorization', early)).status).toBe(401);
    expect((await http.get(read).set('Authorization', `Bearer ${await token()}`)).status).toBe(200);
  });

  it('clock skew from the profile and the admin API, in both directions, described in the token status', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    const { http, token } = await startTestSandbox({}, { clock, profile: { oauth: { tokenLifetimeSeconds: 300, clockSkewSeconds: -60 } } });
    const status = await http.get('/admin/tokens');
    expect(status.body).toMatchObject({ clockSkewSeconds: -60, lifetimeSeconds: 300 });
    expect(status.body.clockSkewEffect).toMatch(/60s behind.*expire 60s before expires_in/);
    const behind = await token();
    expect(decodeJwt(behind).exp).toBe(clock.now() / 1000 - 60 + 300);
    clock.advance(240_000);
    expect((await http.get(read).set('Authorization', `Bearer ${behind}`)).status).toBe(401);

    const ahead = await http.patch('/admin/tokens/policy').send({ clockSkewSeconds: 45 });
    expect(ahead.status).toBe(200);
    expect(ahead.body.clockSkewEffect).toMatch(/45s ahead.*not yet valid for 45s/);
    const early = `Bearer ${await token()}`;
    const refused = await http.get(read).set('Authorization', early);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text).issue[0].diagnostics).toContain('not valid yet');
    clock.advance(45_000);
    expect((await http.get(read).set('Authorization', early)).status).toBe(200);
  });
});
