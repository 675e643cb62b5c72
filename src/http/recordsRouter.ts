import Router from '@koa/router';
import type { Context } from 'koa';
import jsonServer from 'json-server';
import { depthBreach, resourceLimitBreach } from '../fhir/resourceLimits.js';
import { validateResource } from '../fhir/validation/validateResource.js';
import type { Resource } from '../fhir/types.js';
import type { Tenant, TenantDirectory } from '../tenants/tenantDirectory.js';
import { AdminError } from './adminError.js';
import type { SandboxState } from './httpState.js';

/**
 * The raw record view: json-server's REST API (list, filter, `_page`, `_sort`, `q`, create, PUT,
 * PATCH, DELETE) over one tenant's records, mounted at /admin/tenants/:tenantId/records/<Type>.
 *
 * json-server works on a snapshot taken from the tenant's store for this one request (the one
 * record for `/<Type>/<id>`, the collection otherwise); whatever it changed is validated against the
 * tenant's FHIR version and written back through the store, which keeps the search indexes right.
 * So an edit here is a FHIR write too: new versionId, new lastUpdated, visible to searches at once.
 */
export function recordsRouter(tenants: TenantDirectory): Router<SandboxState> {
  const router = new Router<SandboxState>();
  const mount = '/tenants/:tenantId/records';

  router.get(mount, (ctx) => {
    const tenant = requireTenant(tenants, ctx.params.tenantId as string);
    ctx.body = Object.fromEntries(tenant.store.types().map((type) => [type, tenant.store.count(type)]));
  });

  router.all(`${mount}/:type`, (ctx) => runJsonServer(ctx, requireTenant(tenants, ctx.params.tenantId as string), ctx.params.type as string, undefined));
  router.all(`${mount}/:type/:id`, (ctx) =>
    runJsonServer(ctx, requireTenant(tenants, ctx.params.tenantId as string), ctx.params.type as string, ctx.params.id as string),
  );
  return router;
}

function requireTenant(tenants: TenantDirectory, id: string): Tenant {
  const tenant = tenants.get(id);
  if (!tenant) throw new AdminError(404, 'tenant-not-found', `no tenant ${id}`);
  if (!tenant.ready) throw new AdminError(503, 'tenant-seeding', `tenant ${id} is still being seeded`);
  return tenant;
}

async function runJsonServer(ctx: Context, tenant: Tenant, type: string, id: string | undefined): Promise<void> {
  if (!tenant.store.adapter.resourceTypes.includes(type)) {
    throw new AdminError(404, 'type-not-served', `${type} is not a resource type of this ${tenant.fhirVersion.toUpperCase()} tenant`, 'type');
  }
  if (tenant.readOnly && ctx.method !== 'GET') {
    throw new AdminError(405, 'read-only', `tenant ${tenant.id} is read-only`);
  }
  const snapshot = snapshotOf(tenant, type, id);
  const router = jsonServer.router({ [type]: snapshot.map((resource) => structuredClone(resource)) });
  router.render = (_req, res) => {
    if (ctx.method !== 'GET' && res.statusCode < 400) {
      const outcome = writeBack(tenant, type, snapshot, router.db.get(type).value() as Resource[]);
      if (outcome.refused) {
        res.status(422).jsonp({ error: 'invalid-resource', message: outcome.refused.message, field: outcome.refused.path });
        return;
      }
      if (outcome.written.length === 1 && res.locals.data && Object.keys(res.locals.data as object).length > 0) {
        res.locals.data = outcome.written[0];
      }
    }
    res.jsonp(res.locals.data);
  };
  const app = jsonServer.create().use(router);
  const prefix = ctx.path.slice(0, ctx.path.indexOf('/records/') + '/records'.length);
  ctx.req.url = ctx.req.url?.slice(prefix.length) ?? '/';
  ctx.respond = false;
  // Koa starts every response at 404; json-server (Express) only sets a status when it is not 200.
  ctx.res.statusCode = 200;
  await new Promise<void>((resolve) => {
    ctx.res.once('finish', resolve);
    ctx.res.once('close', resolve);
    app(ctx.req, ctx.res);
  });
  ctx.status = ctx.res.statusCode;
}

function snapshotOf(tenant: Tenant, type: string, id: string | undefined): Resource[] {
  if (id === undefined) return tenant.store.list(type);
  const read = tenant.store.read(type, id);
  return read.status === 'found' ? [read.record.resource()] : [];
}

interface WriteBackOutcome {
  written: Resource[];
  refused?: { path: string; message: string };
}

/** Applies json-server's changes to the store: all of them, or none when one is not a valid resource. */
function writeBack(tenant: Tenant, type: string, before: readonly Resource[], after: readonly Resource[]): WriteBackOutcome {
  // Before anything below serialises the records, which recurses once per level of nesting.
  const tooDeep = after.map(depthBreach).find((breach) => breach !== undefined);
  if (tooDeep !== undefined) return { written: [], refused: { path: '', message: tooDeep } };
  const previous = new Map(before.map((resource) => [resource.id, JSON.stringify(resource)]));
  const changed = after.filter((resource) => previous.get(resource.id) !== JSON.stringify(resource));
  const kept = new Set(after.map((resource) => resource.id));
  const removed = before.filter((resource) => !kept.has(resource.id));
  for (const resource of changed) {
    const candidate = { ...resource, resourceType: resource.resourceType ?? type };
    if (candidate.resourceType !== type) return { written: [], refused: { path: 'resourceType', message: `a ${type} record must have resourceType "${type}"` } };
    const breach = resourceLimitBreach(candidate);
    if (breach !== undefined) return { written: [], refused: { path: '', message: breach } };
    const issues = validateResource(tenant.fhirVersion, candidate);
    if (issues.length > 0) return { written: [], refused: { path: issues[0]?.path ?? '', message: issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') } };
  }
  const written = changed.map((resource) => {
    const record = tenant.store.upsert({ ...resource, resourceType: type });
    return record.resource();
  });
  for (const resource of removed) if (resource.id !== undefined) tenant.store.remove(type, resource.id);
  return { written };
}
