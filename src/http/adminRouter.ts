import Router from '@koa/router';
import type { Context } from 'koa';
import * as z from 'zod';
import { MAX_INLINE_KEYS } from '../auth/clientKeys.js';
import type { ClientView } from '../auth/clientRegistry.js';
import { describeIssues } from '../config/loadProfile.js';
import type { ControlPlane } from '../control/controlPlane.js';
import type { EventBus } from '../events/eventBus.js';
import { FHIR_VERSIONS } from '../fhir/types.js';
import { parseScenario } from '../scenarios/parseScenario.js';
import type { TenantDirectory } from '../tenants/tenantDirectory.js';
import { upstreamConnectionSchema } from '../upstream/upstreamSettings.js';
import { AdminError } from './adminError.js';
import { ADMIN_PREFIX } from './adminPrefix.js';
import { adminJsonBody } from './adminJsonBody.js';
import { streamEvents } from './eventStream.js';
import type { SandboxState } from './httpState.js';
import { recordsRouter } from './recordsRouter.js';
import { requestOrigin } from './requestOrigin.js';

export interface AdminRoutesOptions {
  control: ControlPlane;
  tenants: TenantDirectory;
  events: EventBus;
  publicBaseUrl: string | undefined;
}

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a tenant GUID');
const jwkSet = z.looseObject({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_INLINE_KEYS) });
const jwksUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const scopes = z.union([z.literal('*'), z.array(z.string())]);
const newClientBody = z
  .object({
    id: z.string().regex(/^[\w.-]{1,100}$/, 'may hold letters, digits, "_", "." and "-" only').optional(),
    name: z.string().min(1).max(200).optional(),
    secret: z.string().min(8, 'must be at least 8 characters').max(500).optional(),
    jwks: jwkSet.optional(),
    jwksUrl: jwksUrl.optional(),
    tenants: z.union([z.literal('*'), z.array(guid).min(1)]),
    scopes: scopes.optional(),
  })
  .strict();
const clientPatchBody = z.object({ jwksUrl: jwksUrl.nullable().optional(), scopes: scopes.optional() }).strict();
// One JWK, or a JWK Set of those to add.
const newKeysBody = z.union([jwkSet.transform((set): unknown[] => set.keys), z.looseObject({ kty: z.string() }).transform((jwk): unknown[] => [jwk])]);
const tokenPolicyBody = z
  .object({
    lifetimeSeconds: z.number().int().min(1).max(86_400).optional(),
    clockSkewSeconds: z.number().int().min(-86_400).max(86_400).optional(),
  })
  .strict();
const rotateKeyBody = z.object({ graceSeconds: z.number().int().min(0).max(86_400).default(0) }).strict();
const faultSettingsBody = z.object({ exposeHeader: z.boolean() }).strict();
const presetBody = z.object({ tenantId: z.string().optional() }).strict();
const newUpstreamTenantBody = z
  .object({
    id: guid,
    name: z.string().min(1),
    hospital: z.string().min(1),
    fhirVersion: z.enum(FHIR_VERSIONS),
    readOnly: z.boolean().default(false),
    upstream: upstreamConnectionSchema,
  })
  .strict();

/**
 * The control plane's routes: tenants, clients and secrets, tokens, faults, traffic, raw records.
 * Reached only through adminPlane, which checks the request (key, host, origin) before any of them.
 */
export function adminRouter({ control, tenants, events, publicBaseUrl }: AdminRoutesOptions): Router<SandboxState> {
  const admin = new Router<SandboxState>({ prefix: ADMIN_PREFIX, sensitive: true });
  const json = adminJsonBody('256kb');

  admin.get('/tenants', (ctx) => {
    ctx.body = control.listTenants(requestOrigin(ctx, publicBaseUrl));
  });
  admin.post('/tenants', json, async (ctx) => {
    const added = await control.addUpstreamTenant(parse(newUpstreamTenantBody, ctx), requestOrigin(ctx, publicBaseUrl));
    ctx.status = 201;
    ctx.set('Location', `/admin/tenants/${added.id}`);
    ctx.body = added;
  });
  admin.delete('/tenants/:id', async (ctx) => {
    await control.removeUpstreamTenant(ctx.params.id as string);
    ctx.status = 204;
  });

  admin.get('/clients', (ctx) => {
    ctx.body = control.listClients();
  });
  admin.post('/clients', json, (ctx) => {
    const { jwks, ...input } = parse(newClientBody, ctx);
    const created = control.createClient({ ...input, keys: jwks?.keys });
    ctx.status = 201;
    ctx.set('Location', `/admin/clients/${encodeURIComponent(created.client.id)}`);
    ctx.body = created.secret === undefined ? created.client : { ...created.client, secret: created.secret };
  });
  admin.get('/clients/:id', (ctx) => {
    ctx.body = clientView(control, ctx.params.id as string);
  });
  admin.delete('/clients/:id', (ctx) => {
    control.deleteClient(ctx.params.id as string);
    ctx.status = 204;
  });
  admin.patch('/clients/:id', json, (ctx) => {
    const id = ctx.params.id as string;
    const patch = parse(clientPatchBody, ctx);
    if (patch.jwksUrl !== undefined) control.setClientJwksUrl(id, patch.jwksUrl ?? undefined);
    if (patch.scopes !== undefined) control.setClientScopes(id, patch.scopes);
    ctx.body = clientView(control, id);
  });
  admin.post('/clients/:id/keys', json, (ctx) => {
    const keys = parse(newKeysBody, ctx);
    ctx.status = 201;
    ctx.body = control.addClientKeys(ctx.params.id as string, keys);
  });
  admin.delete('/clients/:id/keys/:kid', (ctx) => {
    control.removeClientKey(ctx.params.id as string, ctx.params.kid as string);
    ctx.status = 204;
  });
  admin.post('/clients/:id/jwks/refresh', async (ctx) => {
    ctx.body = await control.refreshClientJwks(ctx.params.id as string);
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
    ctx.body = { rules: control.describeFaultRules(), presets: control.faultPresets(), exposeHeader: control.faultHeaderExposed };
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
  // Rule names may hold "/" (preset rules: flaky-partner/503), so the name is the rest of the path.
  admin.patch('/faults/*name', json, (ctx) => {
    ctx.body = control.updateFaultRule(ctx.params.name as string, requireBody(ctx));
  });
  admin.delete('/faults/*name', (ctx) => {
    control.removeFaultRule(ctx.params.name as string);
    ctx.status = 204;
  });
  admin.post('/faults/presets/:preset', json, (ctx) => {
    const options = parse(presetBody, ctx);
    ctx.body = control.applyFaultPreset(ctx.params.preset as string, options.tenantId ? { tenantId: options.tenantId } : {});
  });

  admin.get('/scenarios', (ctx) => {
    ctx.body = { scenarios: control.scenarios(), current: control.scenarioStatus() ?? null };
  });
  admin.post('/scenarios/run', json, async (ctx) => {
    const body = requireBody(ctx, 'send {"name": "<scenario>"} or a whole scenario as JSON (Content-Type: application/json)');
    const named = (body as { name?: unknown; steps?: unknown }).steps === undefined ? (body as { name?: unknown }).name : undefined;
    if (named !== undefined && typeof named !== 'string') throw new AdminError(400, 'bad-request', 'name: must be a scenario name', 'name');
    ctx.status = 201;
    ctx.body = await control.runScenario(named ?? parseScenario(body, 'the request body'));
  });
  admin.get('/scenarios/current', (ctx) => {
    const status = control.scenarioStatus();
    if (status === undefined) throw new AdminError(404, 'no-scenario', 'no scenario has been started');
    ctx.body = status;
  });
  admin.post('/scenarios/stop', (ctx) => {
    ctx.body = control.stopScenario();
  });

  admin.get('/report', async (ctx) => {
    const report = control.reportCard();
    if (ctx.query.format === 'junit') {
      ctx.type = 'application/xml';
      // The XML builder is loaded on first use, so start-up does not pay for it.
      ctx.body = (await import('../report/reportJUnit.js')).reportAsJUnit(report);
    } else if (ctx.query.format === undefined || ctx.query.format === 'json') {
      ctx.body = report;
    } else {
      throw new AdminError(400, 'bad-request', 'format must be json or junit', 'format');
    }
  });
  admin.delete('/report', (ctx) => {
    control.resetReport();
    ctx.status = 204;
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

  return admin;
}

function clientView(control: ControlPlane, id: string): ClientView {
  const client = control.listClients().find((candidate) => candidate.id === id);
  if (!client) throw new AdminError(404, 'client-not-found', `client ${id} not found`);
  return client;
}

function requireBody(ctx: Context, hint = 'send the rule as a JSON object (Content-Type: application/json)'): object {
  const body = (ctx.request as { body?: unknown }).body;
  if (body === undefined || body === null || typeof body !== 'object' || Object.keys(body).length === 0) {
    throw new AdminError(400, 'bad-request', hint);
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
