import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AuthService } from '../auth/authService.js';
import { OAuthError } from '../auth/oauthError.js';
import type { FormFields } from '../auth/tokenRequest.js';
import { refuseUnreadableBodies } from './bodyReadErrors.js';
import type { SandboxState } from './httpState.js';
import { parseFormBody } from './parseFormBody.js';
import { requestOrigin } from './requestOrigin.js';

export const TOKEN_PATH = '/oauth2/token';
export const AUTHORIZE_PATH = '/oauth2/authorize';
export const JWKS_PATH = '/.well-known/jwks.json';

// Token requests are a few hundred bytes; anything near this limit is a mistake or an attack.
const TOKEN_BODY_LIMIT = '16kb';

/**
 * The partner's authorization server: the token endpoint, the advertised authorize URL, the JWKS.
 * `publicBaseUrl` (--public-url) fixes the token URL that client assertions must name in `aud`, as
 * the metadata and discovery documents advertise it; without it, the URL the request came to.
 */
export function oauthRouter(auth: AuthService, faults: Middleware<SandboxState>, publicBaseUrl: string | undefined): Router<SandboxState> {
  const router = new Router<SandboxState>({ sensitive: true });
  const parseBody = refuseUnreadableBodies<SandboxState>(
    bodyParser({
      enableTypes: ['text'],
      extendTypes: { text: ['application/x-www-form-urlencoded'] },
      textLimit: TOKEN_BODY_LIMIT,
    }),
  );

  router.post(TOKEN_PATH, requireForm, parseBody, async (ctx, next) => {
    const form = formFields(parseFormBody(ctx.request.body));
    ctx.state.faultTarget = { interaction: 'token' };
    const tenant = typeof form.scope === 'string' ? /[0-9a-f-]{36}/i.exec(form.scope)?.[0] : undefined;
    if (tenant) ctx.state.faultTarget.tenantId = tenant.toLowerCase();
    ctx.state.tokenForm = form;
    // Who is asking, before the fault layer may answer for the token service: a throttled or failed
    // token request still belongs to its client in the log and the report card.
    const claimed = claimedClientId(form, ctx.get('Authorization'));
    if (claimed !== undefined) ctx.state.clientId = claimed;
    await next();
  }, faults, async (ctx) => {
    const tokenUrl = `${requestOrigin(ctx, publicBaseUrl)}${TOKEN_PATH}`;
    const issued = await auth.requestToken(ctx.state.tokenForm ?? {}, ctx.get('Authorization') || undefined, { tokenUrl });
    ctx.state.clientId = issued.clientId;
    ctx.state.tenantId = issued.tenantId;
    ctx.state.issuedTokenJti = issued.jti;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    ctx.body = issued.body;
  });

  router.all(TOKEN_PATH, () => {
    throw new OAuthError('invalid_request', 'the token endpoint takes POST with an application/x-www-form-urlencoded body', { status: 405 });
  });

  router.all(AUTHORIZE_PATH, () => {
    throw new OAuthError(
      'unsupported_response_type',
      'user-level (SMART) authorization is not available in this sandbox; apps authenticate with client_credentials at ' + TOKEN_PATH,
    );
  });

  router.get(JWKS_PATH, (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = auth.keys.jwks();
  });

  return router;
}

const requireForm: Middleware<SandboxState> = async (ctx, next) => {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'the token request must be application/x-www-form-urlencoded (RFC 6749 §4.4.2)');
  }
  await next();
};

/** The client id a token request names (form field or HTTP Basic user), unchecked. */
function claimedClientId(form: FormFields, authorization: string): string | undefined {
  if (typeof form.client_id === 'string') return form.client_id;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization)?.[1];
  if (basic === undefined) return undefined;
  const user = Buffer.from(basic, 'base64').toString('utf8').split(':')[0];
  try {
    return user === undefined || user === '' ? undefined : decodeURIComponent(user.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function formFields(pairs: ReadonlyArray<readonly [string, string]>): FormFields {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const existing = fields[name];
    if (existing === undefined) fields[name] = value;
    else fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return fields;
}
