import Router from '@koa/router';
import type { AuthService } from '../auth/authService.js';
import { OAuthError } from '../auth/oauthError.js';
import type { SandboxState } from './httpState.js';
import { TOKEN_PATH } from './tokenEndpoint.js';

export { TOKEN_PATH };
export const AUTHORIZE_PATH = '/oauth2/authorize';
export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * The partner's authorization server beside the token endpoint (see tokenEndpoint): the token URL's
 * other methods, the advertised authorize URL, the JWKS.
 */
export function oauthRouter(auth: AuthService): Router<SandboxState> {
  const router = new Router<SandboxState>({ sensitive: true });
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
