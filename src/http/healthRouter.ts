import Router from '@koa/router';
import type { TenantDirectory } from '../tenants/tenantDirectory.js';
import type { SandboxState } from './httpState.js';

/** `GET /healthz`: 200 once every tenant is seeded, 503 before. Public: probes send no key. */
export function healthRouter(tenants: TenantDirectory): Router<SandboxState> {
  const router = new Router<SandboxState>({ sensitive: true });
  router.get('/healthz', (ctx) => {
    const states = tenants.list().map((tenant) => ({ id: tenant.id, ready: tenant.ready, seeded: tenant.seeded, patients: tenant.target }));
    ctx.status = tenants.allReady ? 200 : 503;
    ctx.body = { status: tenants.allReady ? 'ready' : 'seeding', tenants: states };
  });
  return router;
}
