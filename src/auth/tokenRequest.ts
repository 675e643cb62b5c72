import { OAuthError } from './oauthError.js';

/** A token request after parsing: who asks, how they authenticated, and for which tenant. */
export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  authMethod: 'client_secret_basic' | 'client_secret_post';
  tenantId: string;
  /** Set when the request used the spec example's `grant-type` misspelling (accepted in lenient mode). */
  misspelledGrantType: boolean;
}

export type FormFields = Readonly<Record<string, string | readonly string[] | undefined>>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const BASIC_CHALLENGE = 'Basic realm="patients-sandbox", charset="UTF-8"';

/**
 * Reads a client-credentials request (RFC 6749 §4.4) from its form fields and Authorization
 * header. Throws OAuthError with the RFC's error code for every way it can be wrong.
 */
export function parseTokenRequest(form: FormFields, authorization: string | undefined, strict: boolean): TokenRequest {
  const basic = parseBasicAuthorization(authorization);
  const grantType = single(form, 'grant_type');
  const misspelled = grantType === undefined ? single(form, 'grant-type') : undefined;
  if (grantType === undefined && misspelled === undefined) {
    throw new OAuthError('invalid_request', 'grant_type is required (use grant_type=client_credentials)');
  }
  if (misspelled !== undefined && strict) {
    throw new OAuthError('invalid_request', 'grant_type is required: "grant-type" is a misspelling (the sandbox is in strict mode)');
  }
  if ((grantType ?? misspelled) !== 'client_credentials') {
    throw new OAuthError('unsupported_grant_type', `grant type "${grantType ?? misspelled}" is not supported; use client_credentials`);
  }

  const postId = single(form, 'client_id');
  const postSecret = single(form, 'client_secret');
  if (basic && postSecret !== undefined) {
    throw new OAuthError('invalid_request', 'use one client authentication method: HTTP Basic or client_secret in the body, not both');
  }
  if (basic && postId !== undefined && postId !== basic.clientId) {
    throw new OAuthError('invalid_request', 'client_id in the body differs from the one in the Authorization header');
  }
  const clientId = basic?.clientId ?? postId;
  const clientSecret = basic?.clientSecret ?? postSecret;
  if (!clientId || clientSecret === undefined) {
    throw new OAuthError('invalid_client', 'client authentication is required: client_id and client_secret, in the body or as HTTP Basic', {
      ...(basic ? { wwwAuthenticate: BASIC_CHALLENGE } : {}),
    });
  }

  return {
    clientId,
    clientSecret,
    authMethod: basic ? 'client_secret_basic' : 'client_secret_post',
    tenantId: tenantFromScope(single(form, 'scope')),
    misspelledGrantType: misspelled !== undefined,
  };
}

/** The one tenant GUID in a space-separated scope; other scope tokens are tolerated and ignored. */
export function tenantFromScope(scope: string | undefined): string {
  const tenants = (scope ?? '').split(/\s+/).filter((token) => GUID.test(token));
  if (tenants.length === 0) {
    throw new OAuthError('invalid_scope', 'scope must carry the tenant ID (a GUID), e.g. scope=3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50');
  }
  if (new Set(tenants.map((tenant) => tenant.toLowerCase())).size > 1) {
    throw new OAuthError('invalid_scope', 'a token is for one tenant: scope holds more than one tenant ID');
  }
  return (tenants[0] as string).toLowerCase();
}

function single(form: FormFields, name: string): string | undefined {
  const value = form[name];
  if (Array.isArray(value)) throw new OAuthError('invalid_request', `${name} must not be repeated`);
  return value as string | undefined;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined by ":" and base64-encoded. */
function parseBasicAuthorization(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  if (!header || !/^basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    throw new OAuthError('invalid_client', 'the Basic credentials are not "client_id:client_secret"', { wwwAuthenticate: BASIC_CHALLENGE });
  }
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw new OAuthError('invalid_client', 'the Basic credentials are not valid form-urlencoded text', { wwwAuthenticate: BASIC_CHALLENGE });
  }
}
