import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { AuthService } from '../auth/authService.js';
import { InvalidTokenError } from '../auth/invalidTokenError.js';
import { badRequest, notSupported } from '../fhir/outcome.js';
import { capabilityStatement, handleFhirRequest } from '../fhir/server.js';
import { FHIR_VERSIONS, type FhirMethod, type FhirRequest, type FhirResponse, type FhirVersion } from '../fhir/types.js';
import { adapterFor } from '../fhir/versions/index.js';
import type { FaultInteraction } from '../faults/types.js';
import type { Clock } from '../lib/clock.js';
import type { TenantDirectory } from '../tenants/tenantDirectory.js';
import { FHIR_JSON_TYPES } from './fhirContentType.js';
import type { SandboxState } from './httpState.js';
import { parseFormBody } from './parseFormBody.js';
import { requestOrigin } from './requestOrigin.js';
import { AUTHORIZE_PATH, TOKEN_PATH } from './oauthRouter.js';

export interface GatewayOptions {
  auth: AuthService;
  tenants: TenantDirectory;
  clock: Clock;
  faults: Middleware<SandboxState>;
  publicBaseUrl: string | undefined;
  softwareVersion: string;
}

type GatewayContext = Context & { params: Record<string, string>; state: SandboxState };

// Batches and written resources can be large; a body past this is refused with 413.
const FHIR_BODY_LIMIT = '5mb';
// Parameters about the wire format, handled here rather than by search.
const FORMAT_PARAMS = new Set(['_format', '_pretty']);

/**
 * The partner's FHIR endpoint, one base per version: `metadata` is public; everything else needs a
 * bearer token, whose tenant picks the hospital server that answers.
 */
export function gatewayRouter(options: GatewayOptions): Router<SandboxState> {
  const router = new Router<SandboxState>({ prefix: '/fhir/:version' });
  const parseBody = bodyParser({
    enableTypes: ['json', 'text'],
    extendTypes: { json: FHIR_JSON_TYPES, text: ['application/x-www-form-urlencoded'] },
    jsonLimit: FHIR_BODY_LIMIT,
    textLimit: FHIR_BODY_LIMIT,
  });
  const gated = (interaction: FaultInteraction) => [authenticate(options), targetFaults(interaction), options.faults, parseBody];

  router.param('version', async (version, _ctx, next) => {
    if (!(FHIR_VERSIONS as readonly string[]).includes(version)) {
      throw notSupported(`no FHIR gateway for "${version}"; this sandbox serves ${FHIR_VERSIONS.map((v) => `/fhir/${v}`).join(' and ')}`);
    }
    await next();
  });

  router.get('/metadata', requireJson, targetFaults('metadata'), options.faults, (ctx) => {
    const version = (ctx as GatewayContext).params.version as FhirVersion;
    const adapter = adapterFor(version);
    const origin = requestOrigin(ctx, options.publicBaseUrl);
    const body = capabilityStatement(adapter, {
      baseUrl: `${origin}/fhir/${version}`,
      tokenUrl: `${origin}${TOKEN_PATH}`,
      authorizeUrl: `${origin}${AUTHORIZE_PATH}`,
      // Metadata is public and tenant-independent: it advertises writes; a read-only tenant answers them with 405.
      readOnly: false,
      softwareName: 'patients-sandbox',
      softwareVersion: options.softwareVersion,
      clock: options.clock,
    });
    ctx.set('Content-Type', adapter.contentType);
    ctx.body = JSON.stringify(body);
  });

  const dispatch = forward(options);
  router.post('/', requireJson, ...gated('batch'), requireJsonBody, dispatch);
  router.get('/', requireJson, ...gated('search'), dispatch);
  router.post('/:type/_search', requireJson, ...gated('search'), dispatch);
  router.get('/:type', requireJson, ...gated('search'), dispatch);
  router.post('/:type', requireJson, ...gated('write'), requireJsonBody, dispatch);
  router.get('/:type/:id', requireJson, ...gated('read'), dispatch);
  router.put('/:type/:id', requireJson, ...gated('write'), requireJsonBody, dispatch);
  router.delete('/:type/:id', requireJson, ...gated('write'), dispatch);
  router.get('/:type/:id/_history/:versionId', requireJson, ...gated('read'), dispatch);

  return router;
}

/** Verifies the bearer token and resolves its tenant to the hospital server of this version. */
function authenticate({ auth, tenants, publicBaseUrl }: GatewayOptions): Middleware<SandboxState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!token) {
      throw new InvalidTokenError('missing', header ? 'the Authorization header is not "Bearer <token>"' : `a bearer token is required: get one at ${TOKEN_PATH}`);
    }
    const verified = auth.verifier.verifyCached(token) ?? (await auth.verify(token));
    ctx.state.token = verified;
    ctx.state.clientId = verified.clientId;
    ctx.state.tenantId = verified.tenantId;
    const tenant = tenants.get(verified.tenantId);
    if (!tenant) throw new InvalidTokenError('unknown-tenant', `tenant ${verified.tenantId} no longer exists`);
    const version = (ctx as GatewayContext).params.version as FhirVersion;
    if (tenant.fhirVersion !== version) {
      const origin = requestOrigin(ctx, publicBaseUrl);
      throw badRequest(
        `tenant ${tenant.id} (${tenant.hospital}) is served by a ${tenant.fhirVersion.toUpperCase()} server: use ${origin}/fhir/${tenant.fhirVersion}`,
      );
    }
    if (!tenant.ready) {
      ctx.set('Retry-After', '1');
      ctx.status = 503;
      throw Object.assign(new Error(`tenant ${tenant.id} is still being seeded; try again shortly`), { status: 503, expose: true });
    }
    await next();
  };
}

function targetFaults(interaction: FaultInteraction): Middleware<SandboxState> {
  return async (ctx, next) => {
    const { params } = ctx as GatewayContext;
    ctx.state.faultTarget = {
      interaction,
      fhirVersion: params.version as FhirVersion,
      ...(ctx.state.tenantId ? { tenantId: ctx.state.tenantId } : {}),
      ...(params.type ? { resourceType: params.type } : {}),
    };
    await next();
  };
}

/** Adapts the Koa request into a FhirRequest, lets the FHIR core answer, and writes the answer. */
function forward({ tenants, clock, publicBaseUrl }: GatewayOptions): Middleware<SandboxState> {
  return (ctx) => {
    const { params } = ctx as GatewayContext;
    const version = params.version as FhirVersion;
    const tenant = tenants.get(ctx.state.tenantId as string);
    if (!tenant) throw new InvalidTokenError('unknown-tenant', 'the token names no known tenant');
    const basePath = `/fhir/${version}`;
    const request: FhirRequest = {
      method: ctx.method as FhirMethod,
      path: ctx.path.slice(basePath.length).replace(/^\/+|\/+$/g, ''),
      params: searchParams(ctx),
      body: ctx.is('application/x-www-form-urlencoded') ? undefined : (ctx.request as { body?: unknown }).body,
      headers: {
        ...(ctx.get('If-Match') ? { ifMatch: ctx.get('If-Match') } : {}),
        ...(ctx.get('If-None-Match') ? { ifNoneMatch: ctx.get('If-None-Match') } : {}),
        ...(ctx.get('Prefer') ? { prefer: ctx.get('Prefer') } : {}),
      },
      baseUrl: `${requestOrigin(ctx, publicBaseUrl)}${basePath}`,
    };
    const adapter = adapterFor(version);
    writeFhirResponse(ctx, handleFhirRequest(request, { adapter, store: tenant.store, readOnly: tenant.readOnly, clock }), adapter.contentType);
  };
}

/** Query parameters, then form fields of a POST _search, in arrival order. */
function searchParams(ctx: Context): Array<[string, string]> {
  const query = ctx.querystring;
  const pairs: Array<[string, string]> = query === '' ? [] : [...new URLSearchParams(query)];
  if (ctx.method === 'POST' && ctx.is('application/x-www-form-urlencoded')) {
    pairs.push(...parseFormBody((ctx.request as { body?: unknown }).body));
  }
  return pairs.filter(([name]) => !FORMAT_PARAMS.has(name));
}

function writeFhirResponse(ctx: Context, response: FhirResponse, contentType: string): void {
  ctx.status = response.status;
  if (response.headers) for (const name in response.headers) ctx.set(name, response.headers[name] as string);
  const body = response.json ?? (response.resource !== undefined ? JSON.stringify(response.resource) : undefined);
  if (body !== undefined) {
    // Set the header directly: `ctx.type =` runs a MIME lookup on every response.
    ctx.set('Content-Type', contentType);
    ctx.body = body;
  }
}

/** The sandbox speaks FHIR JSON only; a client that insists on XML gets 406, not JSON it cannot read. */
const requireJson: Middleware<SandboxState> = async (ctx, next) => {
  // Every request passes here: negotiate only when XML is mentioned at all.
  const query = ctx.querystring;
  const accept = ctx.get('Accept');
  const format = query.includes('_format') ? new URLSearchParams(query).get('_format') : null;
  const wantsXmlOnly = format !== null ? /xml/i.test(format) : /xml/i.test(accept) && !ctx.accepts(['json', ...FHIR_JSON_TYPES]);
  if (wantsXmlOnly) {
    ctx.status = 406;
    throw Object.assign(new Error('this server answers in FHIR JSON only (application/json+fhir, application/fhir+json)'), { status: 406, expose: true });
  }
  await next();
};

const requireJsonBody: Middleware<SandboxState> = async (ctx, next) => {
  if (!ctx.is(FHIR_JSON_TYPES)) {
    throw Object.assign(new Error(`send the resource as ${FHIR_JSON_TYPES.join(', ')}`), { status: 415, expose: true });
  }
  await next();
};
