import type { Context } from 'koa';
import { AdminError } from './adminError.js';
import { HostAllowList } from './hostAllowList.js';

export interface BrowserDefenceOptions {
  publicBaseUrl: string | undefined;
  allowedHosts: readonly string[];
}

// The methods a cross-site page can send without a CORS preflight (DELETE always gets one).
const SIMPLE_WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * What keeps web pages the user happens to visit away from the control plane, key or no key:
 * - DNS rebinding: the Host must be a loopback name, the --public-url host or an allowed host;
 * - cross-site requests: an `Origin`, when sent, must be the sandbox's own, and a browser's
 *   `Sec-Fetch-Site`, when sent, must say the request came from this origin or from the user
 *   (it also covers what carries no Origin, such as a `<script src>` GET);
 * - CSRF by form or `text/plain` POST: writes must say `Content-Type: application/json`, which no
 *   page can send cross-site without a preflight the admin API never grants.
 * Throws AdminError 403 or 415.
 */
export function browserDefence({ publicBaseUrl, allowedHosts }: BrowserDefenceOptions): {
  checkHostAndOrigin: (ctx: Context) => void;
  checkWriteContentType: (ctx: Context) => void;
} {
  const hosts = new HostAllowList(publicBaseUrl, allowedHosts);
  const publicOrigin = publicBaseUrl === undefined ? undefined : new URL(publicBaseUrl).origin;
  return {
    checkHostAndOrigin(ctx) {
      if (!hosts.allows(ctx.host)) {
        throw new AdminError(
          403,
          'host-not-allowed',
          `the admin API does not answer to Host "${ctx.host}": only loopback names, the --public-url host and hosts given with --allowed-hosts (or PATIENTS_SANDBOX_ALLOWED_HOSTS) are allowed`,
        );
      }
      const site = ctx.get('Sec-Fetch-Site');
      if (site !== '' && site !== 'same-origin' && site !== 'none') {
        throw new AdminError(403, 'cross-origin-refused', `the admin API does not answer requests a browser makes for another site (Sec-Fetch-Site: ${site})`);
      }
      const origin = ctx.get('Origin');
      if (origin !== '' && !isOwnOrigin(origin, `${ctx.protocol}://${ctx.host}`, publicOrigin)) {
        throw new AdminError(403, 'cross-origin-refused', `the admin API does not answer cross-origin requests (Origin ${origin} is not this sandbox's own origin)`);
      }
    },
    checkWriteContentType(ctx) {
      if (SIMPLE_WRITE_METHODS.has(ctx.method) && ctx.request.type !== 'application/json') {
        throw new AdminError(
          415,
          'json-required',
          `${ctx.method} on the admin API needs Content-Type: application/json, also without a body (it keeps other web pages from sending it)`,
        );
      }
    },
  };
}

function isOwnOrigin(origin: string, reachedAs: string, publicOrigin: string | undefined): boolean {
  const normalized = originOf(origin);
  return normalized !== undefined && (normalized === originOf(reachedAs) || normalized === publicOrigin);
}

// `null` (sandboxed frames, file: pages) and anything else that is not a URL is nobody's origin.
function originOf(text: string): string | undefined {
  try {
    const origin = new URL(text).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
