import koaCors from '@koa/cors';
import type { Middleware } from 'koa';
import { normalizeOrigin, type CorsOrigins } from '../config/corsOrigins.js';
import type { SandboxState } from './httpState.js';

// What a browser FHIR client (SMART-style web app) sends and needs to read. The admin API is
// deliberately absent: it is never reachable cross-origin.
const PUBLIC_PATHS = /^\/(?:fhir|oauth2|\.well-known)(?:\/|$)/;
const ALLOW_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const ALLOW_HEADERS = ['Authorization', 'Content-Type', 'Accept', 'Prefer', 'If-Match', 'If-None-Match', 'If-Modified-Since', 'If-None-Exist', 'X-Requested-With'];
const EXPOSE_HEADERS = ['ETag', 'Location', 'Content-Location', 'Last-Modified', 'Retry-After', 'WWW-Authenticate', 'X-Progress', 'X-Sandbox-Fault'];
// Browsers cache a preflight answer this long (seconds); Chromium caps it at 2 hours.
const PREFLIGHT_MAX_AGE = 600;

/**
 * CORS on the public endpoints (FHIR gateways with their metadata and discovery documents, the token
 * endpoint, JWKS). No credentials: apps send bearer tokens, never cookies. Headers are set before the
 * route runs, so error answers (401, faults) carry them too and the app can read them.
 */
export function corsMiddleware(origins: CorsOrigins): Middleware<SandboxState> {
  if (origins === 'off') return (_ctx, next) => next();
  const allowed = origins === '*' ? undefined : new Set(origins.map((origin) => normalizeOrigin(origin) ?? origin));
  const cors = koaCors({
    // With a list, echo an allowed Origin and send nothing for others (the browser then refuses).
    origin: allowed === undefined ? '*' : (ctx) => (allowed.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
    allowMethods: ALLOW_METHODS,
    allowHeaders: ALLOW_HEADERS,
    exposeHeaders: EXPOSE_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE,
    credentials: false,
    // A page on a public site may call this sandbox on localhost (Chromium's Private Network Access).
    privateNetworkAccess: true,
  }) as Middleware<SandboxState>;
  const withoutOrigin = corsHeadersWithoutOrigin(origins);
  return (ctx, next) => {
    if (!PUBLIC_PATHS.test(ctx.path)) return next();
    // Most callers are servers, which send no Origin: their headers are fixed, set here without @koa/cors's async layer.
    if (ctx.method !== 'OPTIONS' && ctx.get('Origin') === '') {
      for (const [name, value] of withoutOrigin) ctx.res.setHeader(name, value);
      return next();
    }
    return cors(ctx, next);
  };
}

/**
 * The headers `corsMiddleware` sets on a public request that carries no Origin header, in the order
 * it sets them: @koa/cors varies on Origin always and, with "*", allows any origin even then; with a
 * list, the empty Origin is not on it. The middleware and the fast read set these instead of running
 * @koa/cors; `corsWithoutOrigin.test.ts` holds them to what @koa/cors sets.
 */
export function corsHeadersWithoutOrigin(origins: CorsOrigins): ReadonlyArray<readonly [string, string]> {
  if (origins === 'off') return [];
  if (origins !== '*') return [['Vary', 'Origin']];
  return [
    ['Vary', 'Origin'],
    ['Access-Control-Allow-Origin', '*'],
    ['Access-Control-Expose-Headers', EXPOSE_HEADERS.join(',')],
  ];
}
