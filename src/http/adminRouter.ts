import { PassThrough } from 'node:stream';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ClientRegistryError } from '../auth/clientRegistry.js';
import { describeIssues } from '../config/loadProfile.js';
import type { ControlPlane } from '../control/controlPlane.js';
import type { EventBus } from '../events/eventBus.js';
import { FaultError } from '../faults/errors.js';
import type { SaveStatus, TenantDirectory } from '../tenants/tenantDirectory.js';
import { AdminError } from './adminError.js';
import { adminGuard } from './adminGuard.js';
import type { SandboxState } from './httpState.js';
import { recordsRouter } from './recordsRouter.js';
import { requestOrigin } from './requestOrigin.js';

export interface AdminOptions {
  control: ControlPlane;
  tenants: TenantDirectory;
  events: EventBus;
  adminKey: string | undefined;
  publicBaseUrl: string | undefined;
}

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a tenant GUID');
const newClientBody = z
  .object({
    id: z.string().regex(/^[\w.-]{1,100}$/, 'may hold letters, digits, "_", "." and "-" only').optional(),
    name: z.string().min(1).max(200).optional(),
    secret: z.string().min(8, 'must be at least 8 characters').max(500).optional(),
    tenants: z.union([z.literal('*'), z.array(guid).min(1)]),
  })
  .strict();
const tokenPolicyBody = z
  .object({
    lifetimeSeconds: z.number().int().min(1).max(86_400).optional(),
    clockSkewSeconds: z.number().int().min(-86_400).max(86_400).optional(),
  })
  .strict();
const rotateKeyBody = z.object({ graceSeconds: z.number().int().min(0).max(86_400).default(0) }).strict();
const faultSettingsBody = z.object({ exposeHeader: z.boolean() }).strict();
const presetBody = z.object({ tenantId: z.string().optional() }).strict();
// Keep-alive comments stop proxies and clients from timing out an idle event stream.
const SSE_KEEPALIVE_MS = 15_000;

/** The control plane over HTTP: health, tenants, clients and secrets, tokens, faults, traffic. */
export function adminRouter({ control, tenants, events, adminKey, publicBaseUrl }: AdminOptions): Router<SandboxState> {
  const router = new Router<SandboxState>();
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '256kb', onError: (error) => {
    throw new AdminError(400, 'bad-json', `the body is not valid JSON (${error.message})`);
  } });

  // Unsaved edits do not make it unhealthy: a probe that restarted the process would lose them.
  router.get('/healthz', (ctx) => {
    const states = tenants.list().map((tenant) => ({
      id: tenant.id,
      ready: tenant.ready,
      seeded: tenant.seeded,
      patients: tenant.target,
      ...(tenant.save === undefined ? {} : { persistence: saveState(tenant.save) }),
    }));
    ctx.status = tenants.allReady ? 200 : 503;
    ctx.body = { status: tenants.allReady ? 'ready' : 'seeding', persistence: persistenceSummary(tenants), tenants: states };
  });

  const admin = new Router<SandboxState>({ prefix: '/admin' });
  admin.use(adminGuard(adminKey), mapControlErrors);

  admin.get('/tenants', (ctx) => {
    ctx.body = control.listTenants(requestOrigin(ctx, publicBaseUrl));
  });

  admin.get('/clients', (ctx) => {
    ctx.body = control.listClients();
  });
  admin.post('/clients', json, (ctx) => {
    const created = control.createClient(parse(newClientBody, ctx));
    ctx.status = 201;
    ctx.set('Location', `/admin/clients/${encodeURIComponent(created.client.id)}`);
    ctx.body = { ...created.client, secret: created.secret };
  });
  admin.get('/clients/:id', (ctx) => {
    const client = control.listClients().find((candidate) => candidate.id === ctx.params.id);
    if (!client) throw new AdminError(404, 'client-not-found', `no client ${ctx.params.id}`);
    ctx.body = client;
  });
  admin.delete('/clients/:id', (ctx) => {
    control.deleteClient(ctx.params.id as string);
    ctx.status = 204;
  });
  admin.post('/clients/:id/secrets', (ctx) => {
    ctx.status = 201;
    ctx.body = control.rotateClientSecret(ctx.params.id as string);
  });
  admin.delete('/clients/:id/secrets/:secretId', (ctx) => {
    control.revokeClientSecret(ctx.params.id as string, ctx.params.secretId as string);
    ctx.status = 204;
  });
  admin.post('/clients/:id/revoke-tokens', (ctx) => {
    control.revokeClientTokens(ctx.params.id as string);
    ctx.status = 204;
  });

  admin.get('/tokens', (ctx) => {
    ctx.body = control.tokenStatus();
  });
  admin.patch('/tokens/policy', json, (ctx) => {
    const body = parse(tokenPolicyBody, ctx);
    if (body.lifetimeSeconds !== undefined) control.setTokenLifetime(body.lifetimeSeconds);
    if (body.clockSkewSeconds !== undefined) control.setClockSkew(body.clockSkewSeconds);
    ctx.body = control.tokenStatus();
  });
  admin.post('/tokens/expire-all', (ctx) => {
    control.expireAllTokens();
    ctx.body = control.tokenStatus();
  });
  admin.post('/keys/rotate', json, async (ctx) => {
    const { graceSeconds } = parse(rotateKeyBody, ctx);
    ctx.body = { kid: await control.rotateSigningKey(graceSeconds), graceSeconds };
  });

  admin.get('/faults', (ctx) => {
    ctx.body = { rules: control.listFaultRules(), presets: control.faultPresets(), exposeHeader: control.faultHeaderExposed };
  });
  admin.patch('/faults/settings', json, (ctx) => {
    control.setFaultHeaderExposed(parse(faultSettingsBody, ctx).exposeHeader);
    ctx.body = { exposeHeader: control.faultHeaderExposed };
  });
  admin.post('/faults', json, (ctx) => {
    ctx.status = 201;
    ctx.body = control.addFaultRule(requireBody(ctx));
  });
  admin.delete('/faults', (ctx) => {
    control.clearFaultRules();
    ctx.status = 204;
  });
  admin.patch('/faults/:name', json, (ctx) => {
    ctx.body = control.updateFaultRule(ctx.params.name as string, requireBody(ctx));
  });
  admin.delete('/faults/:name', (ctx) => {
    control.removeFaultRule(ctx.params.name as string);
    ctx.status = 204;
  });
  admin.post('/faults/presets/:preset', json, (ctx) => {
    const options = parse(presetBody, ctx);
    ctx.body = control.applyFaultPreset(ctx.params.preset as string, options.tenantId ? { tenantId: options.tenantId } : {});
  });

  admin.get('/requests', (ctx) => {
    const limit = ctx.query.limit === undefined ? 100 : Number(ctx.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new AdminError(400, 'bad-request', 'limit must be an integer from 1 to 500', 'limit');
    ctx.body = control.recentRequests(limit);
  });
  admin.delete('/requests', (ctx) => {
    control.clearRequestLog();
    ctx.status = 204;
  });

  admin.get('/events', (ctx) => streamEvents(ctx, events));

  const records = recordsRouter(tenants);
  admin.use(records.routes(), records.allowedMethods());

  router.use(admin.routes(), admin.allowedMethods());
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

/** Server-sent events: every sandbox event as `event: <type>` with its JSON as data. */
function streamEvents(ctx: Context, events: EventBus): void {
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  ctx.status = 200;
  ctx.body = stream;
  stream.write(': patients-sandbox event stream\n\n');
  const unsubscribe = events.subscribe((event) => {
    stream.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  });
  const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), SSE_KEEPALIVE_MS);
  keepAlive.unref();
  const close = () => {
    clearInterval(keepAlive);
    unsubscribe();
    stream.end();
  };
  ctx.req.once('close', close);
  ctx.res.once('close', close);
}

function requireBody(ctx: Context): unknown {
  const body = (ctx.request as { body?: unknown }).body;
  if (body === undefined || body === null || typeof body !== 'object' || Object.keys(body).length === 0) {
    throw new AdminError(400, 'bad-request', 'send the rule as a JSON object (Content-Type: application/json)');
  }
  return body;
}

function parse<T>(schema: z.ZodType<T>, ctx: Context): T {
  const result = schema.safeParse((ctx.request as { body?: unknown }).body ?? {});
  if (!result.success) {
    const first = result.error.issues[0];
    throw new AdminError(400, 'bad-request', describeIssues(result.error.issues), first ? first.path.join('.') : undefined);
  }
  return result.data;
}

/** Control-plane errors carry stable codes; this maps them to statuses once for every admin route. */
async function mapControlErrors(_ctx: Context, next: () => Promise<unknown>): Promise<void> {
  try {
    await next();
  } catch (error) {
    if (error instanceof ClientRegistryError) {
      const status = error.code === 'client-not-found' || error.code === 'secret-not-found' ? 404 : 409;
      throw new AdminError(status, error.code, error.message);
    }
    if (error instanceof FaultError) {
      const status = error.code === 'ERR_FAULT_RULE_NOT_FOUND' || error.code === 'ERR_FAULT_PRESET_UNKNOWN' ? 404 : error.code === 'ERR_FAULT_RULE_DUPLICATE' ? 409 : 400;
      const field = 'field' in error && typeof error.field === 'string' ? error.field : undefined;
      throw new AdminError(status, error.code, error.message, field);
    }
    throw error;
  }
}
