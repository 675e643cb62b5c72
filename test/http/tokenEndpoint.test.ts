import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxEvent } from '../../src/events/types.js';
import { DEMO_CLIENT, DSTU2_TENANT, LIMITED_CLIENT, STU3_OTHER_TENANT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

const UNKNOWN_TENANT = '00000000-0000-4000-8000-000000000000';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('POST /oauth2/token', () => {
  let t: TestSandbox;
  const events: SandboxEvent[] = [];
  beforeAll(async () => {
    t = await startTestSandbox();
    t.sandbox.events.subscribe((event) => events.push(event));
  });

  const post = (form: Record<string, string>, authorization?: string) => {
    const request = t.http.post('/oauth2/token').type('form');
    if (authorization) request.set('Authorization', authorization);
    return request.send(form);
  };

  it('issues a token with client_secret_post', async () => {
    const response = await post({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret, scope: STU3_TENANT });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: STU3_TENANT });
    const claims = decodeJwt(response.body.access_token);
    expect(claims).toMatchObject({ sub: DEMO_CLIENT.id, scope: STU3_TENANT, tid: STU3_TENANT, iss: 'urn:patients-sandbox:partner', aud: 'urn:patients-sandbox:fhir-gateway' });
    for (const claim of ['exp', 'iat', 'jti']) expect(claims).toHaveProperty(claim);
  });

  it('issues a token with client_secret_basic, ignoring scope words that are neither the tenant nor a SMART scope', async () => {
    const response = await post({ grant_type: 'client_credentials', scope: `openid ${DSTU2_TENANT} fhirUser` }, basic(DEMO_CLIENT.id, DEMO_CLIENT.secret));
    expect(response.status).toBe(200);
    expect(response.body.scope).toBe(DSTU2_TENANT);
  });

  it('grants SMART system scopes beside the tenant and echoes them in the response and the token', async () => {
    const response = await post({ grant_type: 'client_credentials', scope: `system/*.read ${DSTU2_TENANT}` }, basic(DEMO_CLIENT.id, DEMO_CLIENT.secret));
    expect(response.status).toBe(200);
    expect(response.body.scope).toBe(`${DSTU2_TENANT} system/*.read`);
    expect(decodeJwt(response.body.access_token)).toMatchObject({ scope: `${DSTU2_TENANT} system/*.read`, tid: DSTU2_TENANT });
  });

  it('publishes the verification key in the JWKS', async () => {
    const response = await t.http.get('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    expect(response.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(response.body.keys[0]).not.toHaveProperty('d');
  });

  it('answers a wrong secret with invalid_client 401 and a Basic challenge when Basic was used', async () => {
    const response = await post({ grant_type: 'client_credentials', scope: STU3_TENANT }, basic(DEMO_CLIENT.id, 'wrong-secret'));
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
  });

  it('answers a wrong posted secret with invalid_client 401 without a challenge', async () => {
    const response = await post({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: 'nope-nope', scope: STU3_TENANT });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_client');
    expect(response.headers['www-authenticate']).toBeUndefined();
  });

  it.each([
    ['an unknown grant type', { grant_type: 'authorization_code', client_id: 'demo-client', client_secret: 'demo-secret-change-me', scope: STU3_TENANT }, 400, 'unsupported_grant_type'],
    ['a missing grant type', { client_id: 'demo-client', client_secret: 'demo-secret-change-me', scope: STU3_TENANT }, 400, 'invalid_request'],
    ['a missing scope', { grant_type: 'client_credentials', client_id: 'demo-client', client_secret: 'demo-secret-change-me' }, 400, 'invalid_scope'],
    ['an unknown tenant', { grant_type: 'client_credentials', client_id: 'demo-client', client_secret: 'demo-secret-change-me', scope: UNKNOWN_TENANT }, 400, 'invalid_scope'],
    ['a tenant the client may not use', { grant_type: 'client_credentials', client_id: LIMITED_CLIENT.id, client_secret: LIMITED_CLIENT.secret, scope: STU3_TENANT }, 400, 'invalid_scope'],
    ['an unknown client', { grant_type: 'client_credentials', client_id: 'ghost', client_secret: 'whatever-1', scope: STU3_TENANT }, 401, 'invalid_client'],
  ])('refuses %s', async (_label, form, status, error) => {
    const response = await post(form);
    expect(response.status).toBe(status);
    expect(response.type).toBe('application/json');
    expect(response.body.error).toBe(error);
    expect(typeof response.body.error_description).toBe('string');
  });

  it('lets a limited client use its own tenant', async () => {
    const response = await post({ grant_type: 'client_credentials', client_id: LIMITED_CLIENT.id, client_secret: LIMITED_CLIENT.secret, scope: STU3_OTHER_TENANT });
    expect(response.status).toBe(200);
  });

  it('accepts the spec example misspelling "grant-type" in lenient mode, with a visible warning', async () => {
    const before = events.length;
    const response = await post({ 'grant-type': 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret, scope: STU3_TENANT });
    expect(response.status).toBe(200);
    expect(events.slice(before).some((event) => event.type === 'warning' && event.message.includes('grant-type'))).toBe(true);
  });

  it('refuses the misspelling in strict mode', async () => {
    const strict = await startTestSandbox({ strictOAuth: true });
    const response = await strict.http
      .post('/oauth2/token')
      .type('form')
      .send({ 'grant-type': 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret, scope: STU3_TENANT });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
  });

  it('refuses a JSON body with invalid_request', async () => {
    const response = await t.http.post('/oauth2/token').send({ grant_type: 'client_credentials' });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
  });

  it('refuses a malformed form body and keeps serving', async () => {
    const response = await t.http.post('/oauth2/token').type('form').send('%%%&&&===%E0%A4%A');
    expect(response.status).toBe(400);
    expect(['invalid_request', 'unsupported_grant_type']).toContain(response.body.error);
    const next = await post({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret, scope: STU3_TENANT });
    expect(next.status).toBe(200);
  });

  it('refuses a body over the size limit with 413 in OAuth form, and keeps serving', async () => {
    const response = await t.http.post('/oauth2/token').type('form').send(`grant_type=client_credentials&padding=${'x'.repeat(40_000)}`);
    expect(response.status).toBe(413);
    expect(response.body.error).toBe('invalid_request');
    const next = await post({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret, scope: STU3_TENANT });
    expect(next.status).toBe(200);
  });

  it('answers GET on the token endpoint with 405 in OAuth form', async () => {
    const response = await t.http.get('/oauth2/token');
    expect(response.status).toBe(405);
    expect(response.body.error).toBe('invalid_request');
  });

  it('answers the advertised authorize URL with a clear OAuth error', async () => {
    const response = await t.http.get('/oauth2/authorize?response_type=code&client_id=demo-client');
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('unsupported_response_type');
    expect(response.body.error_description).toMatch(/client_credentials/);
  });
});
