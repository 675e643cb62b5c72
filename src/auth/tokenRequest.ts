import { OAuthError } from './oauthError.js';

/** How the client authenticated: a shared secret (HTTP Basic or form fields), or a signed assertion. */
export type ClientCredentials =
  | { authMethod: 'client_secret_basic' | 'client_secret_post'; clientId: string; clientSecret: string }
  /** `clientId` is the optional client_id field; the assertion's `iss` names the client. */
  | { authMethod: 'private_key_jwt'; clientId: string | undefined; clientAssertion: string };

/** A token request after parsing: who asks, how they authenticated, and for which tenant and scopes. */
export type TokenRequest = ClientCredentials & {
  tenantId: string;
  /** The scope parameter as sent (tenant id and SMART scopes). */
  scope: string;
  /** Set when the request used the spec example's `grant-type` misspelling (accepted in lenient mode). */
  misspelledGrantType: boolean;
};

/** RFC 7523 §2.2: the one assertion type for private_key_jwt. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

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

  const scope = single(form, 'scope');
  const credentials = clientCredentials(form, basic);
  // Completed in place: spreading the three credential shapes into a new object cost ~5 µs a request.
  return Object.assign(credentials, { tenantId: tenantFromScope(scope), scope: scope ?? '', misspelledGrantType: misspelled !== undefined });
}

/** Exactly one way of authenticating: HTTP Basic, client_secret in the body, or a client assertion. */
function clientCredentials(form: FormFields, basic: { clientId: string; clientSecret: string } | undefined): ClientCredentials {
  const postId = single(form, 'client_id');
  const postSecret = single(form, 'client_secret');
  const assertion = single(form, 'client_assertion');
  const assertionType = single(form, 'client_assertion_type');
  const usesAssertion = assertion !== undefined || assertionType !== undefined;
  if (Number(basic !== undefined) + Number(postSecret !== undefined) + Number(usesAssertion) > 1) {
    const methods = [basic && 'HTTP Basic', postSecret !== undefined && 'client_secret', usesAssertion && 'client_assertion'].filter(Boolean);
    throw new OAuthError('invalid_request', `use one client authentication method, not ${methods.join(' and ')}`);
  }
  if (basic && postId !== undefined && postId !== basic.clientId) {
    throw new OAuthError('invalid_request', 'client_id in the body differs from the one in the Authorization header');
  }
  if (usesAssertion) {
    if (assertionType !== CLIENT_ASSERTION_TYPE) {
      throw new OAuthError('invalid_client', `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}${assertionType === undefined ? '' : `, not ${assertionType}`}`);
    }
    if (!assertion) throw new OAuthError('invalid_client', 'client_assertion is required with client_assertion_type (a JWT signed with the client\'s key)');
    return { authMethod: 'private_key_jwt', clientId: postId, clientAssertion: assertion };
  }
  const clientId = basic?.clientId ?? postId;
  const clientSecret = basic?.clientSecret ?? postSecret;
  if (!clientId || clientSecret === undefined) {
    throw new OAuthError(
      'invalid_client',
      'client authentication is required: client_id and client_secret (in the body or as HTTP Basic), or client_assertion_type and client_assertion (private_key_jwt)',
      { ...(basic ? { wwwAuthenticate: BASIC_CHALLENGE } : {}) },
    );
  }
  return { authMethod: basic ? 'client_secret_basic' : 'client_secret_post', clientId, clientSecret };
}

/** The one tenant GUID in a space-separated scope; other scope tokens are tolerated and ignored. */
export function tenantFromScope(scope: string | undefined): string {
  // The usual scope is the tenant alone: one test, no splitting.
  if (scope !== undefined && GUID.test(scope)) return scope.toLowerCase();
  let tenant: string | undefined;
  for (const token of (scope ?? '').split(/\s+/)) {
    if (!GUID.test(token)) continue;
    const lowered = token.toLowerCase();
    if (tenant !== undefined && lowered !== tenant) {
      throw new OAuthError('invalid_scope', 'a token is for one tenant: scope holds more than one tenant ID');
    }
    tenant = lowered;
  }
  if (tenant === undefined) {
    throw new OAuthError('invalid_scope', 'scope must carry the tenant ID (a GUID), e.g. scope=3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50');
  }
  return tenant;
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
