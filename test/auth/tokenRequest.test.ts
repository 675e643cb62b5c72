import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../src/auth/oauthError.js';
import { parseTokenRequest, tenantFromScope } from '../../src/auth/tokenRequest.js';

const TENANT = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function oauthError(fn: () => unknown): OAuthError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OAuthError) return error;
    throw error;
  }
  throw new Error('expected an OAuthError');
}

describe('parseTokenRequest', () => {
  it('reads client_secret_post', () => {
    const request = parseTokenRequest({ grant_type: 'client_credentials', client_id: 'a', client_secret: 's', scope: TENANT }, undefined, false);
    expect(request).toEqual({ clientId: 'a', clientSecret: 's', authMethod: 'client_secret_post', tenantId: TENANT, scope: TENANT, misspelledGrantType: false });
  });

  it('reads client_secret_basic, decoding form-encoded credentials', () => {
    const request = parseTokenRequest({ grant_type: 'client_credentials', scope: TENANT }, basic('my app', 'p:a%ss'), false);
    expect(request).toMatchObject({ clientId: 'my app', clientSecret: 'p:a%ss', authMethod: 'client_secret_basic' });
  });

  it('accepts the grant-type misspelling when lenient and flags it', () => {
    const request = parseTokenRequest({ 'grant-type': 'client_credentials', client_id: 'a', client_secret: 's', scope: TENANT }, undefined, false);
    expect(request.misspelledGrantType).toBe(true);
  });

  it('refuses the grant-type misspelling when strict', () => {
    const error = oauthError(() => parseTokenRequest({ 'grant-type': 'client_credentials', client_id: 'a', client_secret: 's', scope: TENANT }, undefined, true));
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(400);
  });

  it.each([
    [{ client_id: 'a', client_secret: 's', scope: TENANT }, 'invalid_request'],
    [{ grant_type: 'password', client_id: 'a', client_secret: 's', scope: TENANT }, 'unsupported_grant_type'],
    [{ grant_type: 'client_credentials', client_secret: 's', scope: TENANT }, 'invalid_client'],
    [{ grant_type: 'client_credentials', client_id: 'a', client_secret: 's' }, 'invalid_scope'],
    [{ grant_type: ['client_credentials', 'client_credentials'], client_id: 'a', client_secret: 's', scope: TENANT }, 'invalid_request'],
  ])('refuses %j with %s', (form, code) => {
    expect(oauthError(() => parseTokenRequest(form, undefined, false)).code).toBe(code);
  });

  it('refuses two authentication methods at once', () => {
    const error = oauthError(() => parseTokenRequest({ grant_type: 'client_credentials', client_secret: 's', scope: TENANT }, basic('a', 's'), false));
    expect(error.code).toBe('invalid_request');
  });

  it('answers invalid_client with a Basic challenge when Basic was malformed', () => {
    const error = oauthError(() => parseTokenRequest({ grant_type: 'client_credentials', scope: TENANT }, `Basic ${Buffer.from('nocolon').toString('base64')}`, false));
    expect(error.code).toBe('invalid_client');
    expect(error.status).toBe(401);
    expect(error.wwwAuthenticate).toMatch(/^Basic /);
  });
});

describe('parseTokenRequest with a client assertion (private_key_jwt)', () => {
  const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
  const assertionForm = (extra: Record<string, string> = {}) => ({ grant_type: 'client_credentials', scope: TENANT, client_assertion_type: JWT_BEARER, client_assertion: 'a.b.c', ...extra });

  it('reads the assertion and the optional client_id', () => {
    expect(parseTokenRequest(assertionForm(), undefined, false)).toMatchObject({ authMethod: 'private_key_jwt', clientAssertion: 'a.b.c', clientId: undefined });
    expect(parseTokenRequest(assertionForm({ client_id: 'svc' }), undefined, false)).toMatchObject({ authMethod: 'private_key_jwt', clientId: 'svc' });
  });

  it.each([
    ['another assertion type', assertionForm({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }), 'invalid_client', /must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer, not .*saml2-bearer/],
    ['an assertion type without an assertion', { grant_type: 'client_credentials', scope: TENANT, client_assertion_type: JWT_BEARER }, 'invalid_client', /client_assertion is required/],
    ['an assertion without its type', { grant_type: 'client_credentials', scope: TENANT, client_assertion: 'a.b.c' }, 'invalid_client', /client_assertion_type must be/],
    ['an assertion and a secret', assertionForm({ client_secret: 's' }), 'invalid_request', /one client authentication method, not client_secret and client_assertion/],
  ])('refuses %s', (_label, form, code, description) => {
    const error = oauthError(() => parseTokenRequest(form, undefined, false));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(description);
  });

  it('refuses an assertion beside HTTP Basic', () => {
    const error = oauthError(() => parseTokenRequest(assertionForm(), basic('a', 's'), false));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/not HTTP Basic and client_assertion/);
  });
});

describe('tenantFromScope', () => {
  it('finds the tenant among other scope tokens and lower-cases it', () => {
    expect(tenantFromScope(`system/*.read ${TENANT.toUpperCase()} launch`)).toBe(TENANT);
  });
  it('refuses two different tenants', () => {
    expect(oauthError(() => tenantFromScope(`${TENANT} 7a1c9d42-2e3f-4b5a-8c6d-1e2f3a4b5c60`)).code).toBe('invalid_scope');
  });
  it('refuses a scope without a tenant', () => {
    expect(oauthError(() => tenantFromScope('patient/*.read')).code).toBe('invalid_scope');
  });
});
