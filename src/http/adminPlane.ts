import type { Middleware } from 'koa';
import { ClientRegistryError, type RegistryErrorCode } from '../auth/clientRegistry.js';
import { JwksFetchError } from '../auth/fetchJwks.js';
import { FaultError } from '../faults/errors.js';
import { ScenarioError } from '../scenarios/scenarioErrors.js';
import { TenantChangeError, type TenantChangeErrorCode } from '../tenants/tenantChangeError.js';
import { AdminError } from './adminError.js';
import { adminKeyCheck } from './adminKeyCheck.js';
import { browserDefence } from './browserDefence.js';
import { ADMIN_PREFIX } from './adminPrefix.js';
import type { AdminRoutesOptions } from './adminRouter.js';
import type { SandboxState } from './httpState.js';

export interface AdminPlaneOptions extends AdminRoutesOptions {
  adminKey: string | undefined;
  /** Host names besides loopback and the --public-url host that the admin API answers to. */
  allowedHosts: readonly string[];
}

/**
 * The control plane's one door. A path is the admin API when it starts with exactly `/admin/` (paths
 * are case-sensitive and matched as sent: `/ADMIN`, `//admin` or `/%61dmin` are other paths, and
 * 404). Only such requests reach the admin routes, and only after every check, in this order: Host
 * and Origin (no other web page, see browserDefence), the admin key, a JSON content type on writes.
 * The routes cannot match anything the checks did not see.
 */
export function adminPlane(options: AdminPlaneOptions): Middleware<SandboxState> {
  const routes = adminRoutesOnFirstUse(options);
  const checkKey = adminKeyCheck(options.adminKey);
  const { checkHostAndOrigin, checkWriteContentType } = browserDefence(options);
  return async (ctx, next) => {
    if (!isAdminPath(ctx.path)) return next();
    checkHostAndOrigin(ctx);
    checkKey(ctx);
    checkWriteContentType(ctx);
    try {
      // An admin path no admin route serves ends here as a 404, never in another route family.
      await (await routes())(ctx, async () => undefined);
    } catch (error) {
      throw asAdminError(error);
    }
  };
}

/**
 * The admin routes (and the records routes, the JSON body parser and the schemas under them), loaded and
 * built by the first admin request: a start serves /healthz without them. Requests that arrive together
 * before the first build finishes wait for the same one.
 */
function adminRoutesOnFirstUse(options: AdminRoutesOptions): () => Promise<Middleware<SandboxState>> {
  let built: Promise<Middleware<SandboxState>> | undefined;
  return () =>
    (built ??= import('./adminRouter.js').then(({ adminRouter }) => {
      const router = adminRouter(options);
      // The router's middlewares add `params` to the context themselves.
      const routes = router.routes() as Middleware<SandboxState>;
      const allowedMethods = router.allowedMethods() as Middleware<SandboxState>;
      return (ctx, next) => routes(ctx, () => allowedMethods(ctx, next));
    }));
}

export function isAdminPath(path: string): boolean {
  return path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
}

const REGISTRY_STATUS: Partial<Record<RegistryErrorCode, number>> = {
  'client-not-found': 404,
  'secret-not-found': 404,
  'key-not-found': 404,
  'invalid-key': 400,
  'invalid-scope': 400,
};

const TENANT_CHANGE_STATUS: Readonly<Record<TenantChangeErrorCode, number>> = {
  'tenant-exists': 409,
  'tenant-not-found': 404,
  'tenant-not-upstream': 409,
  'upstream-refused': 422,
  'upstream-unreachable': 502,
};

/** Control-plane errors carry stable codes; this maps them to statuses once for every admin route. */
function asAdminError(error: unknown): unknown {
  if (error instanceof ClientRegistryError) return new AdminError(REGISTRY_STATUS[error.code] ?? 409, error.code, error.message);
  if (error instanceof JwksFetchError) return new AdminError(502, 'jwks-fetch-failed', `the client's JWKS URL ${error.message}`);
  if (error instanceof FaultError) {
    const status = error.code === 'ERR_FAULT_RULE_NOT_FOUND' || error.code === 'ERR_FAULT_PRESET_UNKNOWN' ? 404 : error.code === 'ERR_FAULT_RULE_DUPLICATE' ? 409 : 400;
    const field = 'field' in error && typeof error.field === 'string' ? error.field : undefined;
    return new AdminError(status, error.code, error.message, field);
  }
  if (error instanceof TenantChangeError) return new AdminError(TENANT_CHANGE_STATUS[error.code], error.code, error.message);
  if (error instanceof ScenarioError) {
    const status = error.code === 'ERR_SCENARIO_INVALID' ? 400 : 404;
    return new AdminError(status, error.code, error.message, error.field);
  }
  return error;
}
