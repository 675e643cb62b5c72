import Router from '@koa/router';
import type { SaveStatus, TenantDirectory } from '../tenants/tenantDirectory.js';
import type { SandboxState } from './httpState.js';

/**
 * `GET /healthz`: 200 once every tenant is seeded, 503 before. Public: probes send no key. With
 * --persist it also says whether edits are on disk; unsaved edits do not make it unhealthy, because a
 * probe that restarted the process would lose them.
 */
export function healthRouter(tenants: TenantDirectory): Router<SandboxState> {
  const router = new Router<SandboxState>({ sensitive: true });
  router.get('/healthz', (ctx) => {
    const states = tenants.list().map((tenant) => ({
      id: tenant.id,
      ready: tenant.ready,
      seeded: tenant.seeded,
      patients: tenant.target,
      ...(tenant.save === undefined ? {} : { persistence: saveState(tenant.save) }),
    }));
    ctx.status = tenants.allReady ? 200 : 503;
    // Written as text: an object body makes Koa test it against the fetch API's Response, whose first
    // use loads Node's whole fetch implementation, tens of milliseconds on a start-up's first probe.
    ctx.type = 'json';
    ctx.body = JSON.stringify({ status: tenants.allReady ? 'ready' : 'seeding', persistence: persistenceSummary(tenants), tenants: states });
  });
  return router;
}

/** --persist: "failing" while any tenant's writes fail, "pending" while edits wait for their write, else "saved"; "off" without --persist. */
function persistenceSummary(tenants: TenantDirectory): 'off' | 'saved' | 'pending' | 'failing' {
  const saves = tenants.list().flatMap((tenant) => (tenant.save === undefined ? [] : [tenant.save]));
  if (saves.length === 0) return 'off';
  if (saves.some((save) => save.failing !== undefined)) return 'failing';
  return saves.some((save) => save.unsaved) ? 'pending' : 'saved';
}

function saveState(save: SaveStatus) {
  return {
    file: save.file,
    unsaved: save.unsaved,
    savedAt: save.savedAt === undefined ? null : new Date(save.savedAt).toISOString(),
    ...(save.failing === undefined
      ? {}
      : { failing: { error: save.failing.error, since: new Date(save.failing.since).toISOString(), attempts: save.failing.attempts } }),
  };
}
