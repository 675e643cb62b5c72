import Router from '@koa/router';
import type { Context } from 'koa';
import { depthBreach, resourceLimitBreach } from '../fhir/resourceLimits.js';
import { validateResource } from '../fhir/validation/validateResource.js';
import type { Resource } from '../fhir/types.js';
import type { Tenant, TenantDirectory } from '../tenants/tenantDirectory.js';
import { AdminError } from './adminError.js';
import { adminJsonBody } from './adminJsonBody.js';
import type { SandboxState } from './httpState.js';

// Resources can be large (attachments, narrative); anything past this is refused with 413.
const RECORD_BODY_LIMIT = '5mb';

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
  const router = new Router<SandboxState>({ sensitive: true });
  const mount = '/tenants/:tenantId/records';
  const body = adminJsonBody(RECORD_BODY_LIMIT);

  router.get(mount, (ctx) => {
    const tenant = requireTenant(tenants, ctx.params.tenantId as string);
    ctx.body = Object.fromEntries(tenant.store.types().map((type) => [type, tenant.store.count(type)]));
  });

  router.all(`${mount}/:type`, body, (ctx) => runJsonServer(ctx, requireTenant(tenants, ctx.params.tenantId as string), ctx.params.type as string, undefined));
  router.all(`${mount}/:type/:id`, body, (ctx) =>
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
  refuseUnusableBody(ctx, tenant, type, id);
  // The body was read above (limits, errors in our format); this tells json-server's parser so.
  Object.assign(ctx.req, { _body: true });
  const snapshot = snapshotOf(tenant, type, id);
  // Loaded on the first records request: json-server (Express, lowdb, lodash) is most of a start-up otherwise.
  const { default: jsonServer } = await import('json-server');
  const router = jsonServer.router({ [type]: snapshot.map((resource) => structuredClone(resource)) });
  // json-server 0.17's router ends in an error handler that answers with the stack trace as HTML:
  // without it, every error leaves through `done` below, to the sandbox's one error writer.
  router.stack = router.stack.filter((layer) => layer.handle.length !== 4);
  router.render = (_req, res) => {
    if (res.statusCode === 404) throw new AdminError(404, 'record-not-found', `no ${type}/${id ?? ''} in tenant ${tenant.id}`);
    if (ctx.method !== 'GET') {
      const outcome = writeBack(tenant, type, snapshot, router.db.get(type).value() as Resource[]);
      if (outcome.refused) throw new AdminError(422, 'invalid-resource', outcome.refused.message, outcome.refused.path);
      if (outcome.written.length === 1 && res.locals.data && Object.keys(res.locals.data as object).length > 0) {
        res.locals.data = outcome.written[0];
      }
    }
    // Never JSONP (json-server's default): a `?callback=` would let any web page read records with a <script> tag.
    res.json(res.locals.data);
  };
  // Mounted below the request's own prefix, so the Link and Location headers json-server builds from
  // the request URL point back here.
  const prefix = ctx.path.slice(0, ctx.path.indexOf('/records/') + '/records'.length);
  const app = jsonServer.create().disable('x-powered-by').use(prefix, router);
  const headersBefore = new Set(ctx.res.getHeaderNames());
  ctx.respond = false;
  // Koa starts every response at 404; json-server (Express) only sets a status when it is not 200.
  ctx.res.statusCode = 200;
  try {
    await new Promise<void>((resolve, reject) => {
      ctx.res.once('finish', resolve);
      ctx.res.once('close', resolve);
      app(ctx.req, ctx.res, (error) => reject(error ?? new AdminError(404, 'not-found', `no route for ${ctx.method} ${ctx.path}`)));
    });
  } catch (error) {
    // Nothing was sent: hand the error back to Koa, without the headers json-server had set.
    for (const name of ctx.res.getHeaderNames()) if (!headersBefore.has(name)) ctx.res.removeHeader(name);
    ctx.respond = true;
    throw error;
  }
  ctx.status = ctx.res.statusCode;
}

/** A write must send one JSON object, and a create must not take an id that is already there. */
function refuseUnusableBody(ctx: Context, tenant: Tenant, type: string, id: string | undefined): void {
  if (!['POST', 'PUT', 'PATCH'].includes(ctx.method)) return;
  const body: unknown = (ctx.request as { body?: unknown }).body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AdminError(400, 'bad-request', `send the ${type} record as a JSON object`);
  }
  const newId = (body as { id?: unknown }).id;
  if (ctx.method === 'POST' && id === undefined && typeof newId === 'string' && tenant.store.read(type, newId).status === 'found') {
    throw new AdminError(409, 'duplicate-id', `${type}/${newId} exists already: PUT or PATCH it instead`, 'id');
  }
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
