import type { Middleware, ParameterizedContext } from 'koa';
import type { AuthService } from '../auth/authService.js';
import type { TokenResponse } from '../auth/tokenIssuer.js';
import type { FormFields } from '../auth/tokenRequest.js';
import type { SandboxState } from './httpState.js';
import { requestOrigin } from './requestOrigin.js';
import { readTokenForm } from './tokenForm.js';

export const TOKEN_PATH = '/oauth2/token';
// @koa/router, which served this route before, also matched it with a trailing slash.
const TOKEN_PATH_WITH_SLASH = `${TOKEN_PATH}/`;
const TENANT_IN_SCOPE = /[0-9a-f-]{36}/i;
const JSON_TYPE = 'application/json; charset=utf-8';

type TokenContext = ParameterizedContext<SandboxState> & { _matchedRoute?: string };

/**
 * `POST /oauth2/token` as one middleware ahead of the gateway and the routers: a client fetching
 * tokens in a loop pays for the form, the fault layer and the signature, not for router matching,
 * a generic body parser and the layers of every route family it does not belong to. Other methods
 * on the path fall through to the OAuth router, which answers 405. `publicBaseUrl` (--public-url)
 * fixes the token URL that client assertions must name in `aud`, as the metadata and discovery
 * documents advertise it; without it, the URL the request came to.
 */
export function tokenEndpoint(auth: AuthService, faults: Middleware<SandboxState>, publicBaseUrl: string | undefined): Middleware<SandboxState> {
  const issue = async (ctx: TokenContext): Promise<void> => {
    const tokenUrl = `${requestOrigin(ctx, publicBaseUrl)}${TOKEN_PATH}`;
    const issued = await auth.requestToken(ctx.state.tokenForm ?? {}, ctx.get('Authorization') || undefined, { tokenUrl });
    ctx.state.clientId = issued.clientId;
    ctx.state.tenantId = issued.tenantId;
    ctx.state.issuedTokenJti = issued.jti;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    // The type named and the text made here: Koa would look the type up and stringify the object itself.
    ctx.set('Content-Type', JSON_TYPE);
    ctx.body = tokenResponseJson(issued.body);
  };

  return async (ctx: TokenContext, next) => {
    if (ctx.method !== 'POST' || (ctx.path !== TOKEN_PATH && ctx.path !== TOKEN_PATH_WITH_SLASH)) return next();
    // The request event logs the route pattern, as it does for the router's routes.
    ctx._matchedRoute = TOKEN_PATH;
    const form = await readTokenForm(ctx.req);
    ctx.state.faultTarget = { interaction: 'token' };
    const tenant = typeof form.scope === 'string' ? TENANT_IN_SCOPE.exec(form.scope)?.[0] : undefined;
    if (tenant) ctx.state.faultTarget.tenantId = tenant.toLowerCase();
    ctx.state.tokenForm = form;
    // Who is asking, before the fault layer may answer for the token service: a throttled or failed
    // token request still belongs to its client in the log and the report card.
    const claimed = claimedClientId(form, ctx.get('Authorization'));
    if (claimed !== undefined) ctx.state.clientId = claimed;
    await faults(ctx, () => issue(ctx));
  };
}

/**
 * The response as JSON.stringify writes it, the token copied as is: a compact JWS is base64url and
 * dots, which JSON never escapes, and stringify spent most of its time checking its 500 characters.
 */
export function tokenResponseJson(response: TokenResponse): string {
  return `{"access_token":"${response.access_token}","token_type":"${response.token_type}","expires_in":${response.expires_in},"scope":${JSON.stringify(response.scope)}}`;
}

/** The client id a token request names (form field or HTTP Basic user), unchecked. */
export function claimedClientId(form: FormFields, authorization: string): string | undefined {
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
