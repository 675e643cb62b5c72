import { decodeJwt, type JWTPayload } from 'jose';
import type { Context, Middleware } from 'koa';
import type { AuthService } from '../auth/authService.js';
import { InvalidTokenError } from '../auth/invalidTokenError.js';
import type { VerifiedToken } from '../auth/tokenVerifier.js';
import type { ExportJobs } from '../fhir/export/exportJobs.js';
import { badRequest, notSupported } from '../fhir/outcome.js';
import { capabilityStatement, handleFhirRequest } from '../fhir/server.js';
import { FHIR_VERSIONS, type FhirMethod, type FhirRequest, type FhirVersion } from '../fhir/types.js';
import { fhirContentType } from '../fhir/versions/contentType.js';
import { adapterFor } from '../fhir/versions/index.js';
import type { Clock } from '../lib/clock.js';
import type { Tenant, TenantDirectory } from '../tenants/tenantDirectory.js';
import { answerBulkExport, type BulkExportOptions } from './bulkExport.js';
import { FHIR_JSON_TYPES } from './fhirContentType.js';
import { readGatewayBody } from './gatewayBody.js';
import { classifyGatewayPath, type GatewayRoute } from './gatewayRoute.js';
import type { SandboxState } from './httpState.js';
import { AUTHORIZE_PATH, JWKS_PATH, TOKEN_PATH } from './oauthRouter.js';
import { parseFormBody } from './parseFormBody.js';
import { scopesGrantRead } from './readPermission.js';
import { requestOrigin } from './requestOrigin.js';
import { smartConfiguration } from './smartConfiguration.js';
import { forwardUpstream } from './upstreamForward.js';
import { writeFhirResponse } from './writeFhirResponse.js';

export interface GatewayOptions {
  auth: AuthService;
  tenants: TenantDirectory;
  clock: Clock;
  faults: Middleware<SandboxState>;
  /** True while no fault rule can fire: a request then goes straight to its answer (its body read first), past the fault layer. */
  faultsIdle: () => boolean;
  publicBaseUrl: string | undefined;
  softwareVersion: string;
  /** Bulk Data exports of every tenant. */
  exports: ExportJobs;
}

// Parameters about the wire format, handled here rather than by search.
const FORMAT_PARAMS = new Set(['_format', '_pretty']);
const GATEWAY_PATH = /^\/fhir\/([^/]+)(?:\/(.*?))?\/?$/;

/**
 * The partner's FHIR endpoint, one base per version: `metadata` and the SMART discovery document are public; everything else needs a
 * bearer token whose tenant picks the hospital server that answers. One middleware rather than a
 * router: the FHIR core routes the request itself, so the gateway only classifies the path once
 * (for logs, faults and body handling), which keeps the hottest path in the sandbox short.
 */
export function gateway(options: GatewayOptions): Middleware<SandboxState> {
  const exportOptions: BulkExportOptions = { exports: options.exports, mayRead: scopesGrantRead, publicBaseUrl: options.publicBaseUrl };
  const answer = (ctx: Context) => {
    const { document, interaction } = (ctx.state as SandboxState).route as GatewayRoute;
    if (document === 'capability') return serveMetadata(ctx, options);
    if (document === 'smart-configuration') return serveSmartConfiguration(ctx, options);
    if (interaction === 'export-kickoff' || interaction === 'export-status' || interaction === 'export-file') {
      const tenant = tenantOf(ctx, options.tenants);
      // An upstream tenant's data lives on its server, which exports for itself: forwarding refuses $export with a 501.
      if (tenant.upstream === undefined) return answerBulkExport(ctx, tenant, searchParams(ctx, false), exportOptions);
    }
    return forward(ctx, options);
  };
  // The body, when the route carries one, is read in one async step before the answer.
  const readThenAnswer = (ctx: Context, route: GatewayRoute) => (route.hasBody ? readGatewayBody(ctx, route).then(() => answer(ctx)) : answer(ctx));

  // Past authentication: straight to the body and the answer when no fault can fire (one check, no
  // async layer), else through the fault layer first (a faulted request is not read).
  const proceed = (ctx: Context, route: GatewayRoute, version: FhirVersion, tenant: Tenant | undefined) => {
    if (options.faultsIdle()) return readThenAnswer(ctx, route);
    (ctx.state as SandboxState).faultTarget = {
      interaction: route.interaction,
      fhirVersion: version,
      ...(tenant ? { tenantId: tenant.id } : {}),
      ...(route.resourceType ? { resourceType: route.resourceType } : {}),
    };
    return options.faults(ctx, async () => readThenAnswer(ctx, route));
  };

  return (ctx, next) => {
    const match = GATEWAY_PATH.exec(ctx.path);
    if (!match) return next();
    const version = match[1] as string;
    if (!(FHIR_VERSIONS as readonly string[]).includes(version)) {
      throw notSupported(`no FHIR gateway for "${version}"; this sandbox serves ${FHIR_VERSIONS.map((v) => `/fhir/${v}`).join(', ')}`);
    }
    const route = classifyGatewayPath(ctx.method, match[2] ?? '');
    if (route !== undefined && 'allowed' in route) {
      ctx.set('Allow', route.allowed.join(', '));
      throw Object.assign(new Error(`${ctx.method} is not allowed here (allowed: ${route.allowed.join(', ')})`), { status: 405, expose: true });
    }
    const resolved: GatewayRoute = route ?? { pattern: '/fhir/:version/*', interaction: 'read', hasBody: false, jsonBody: false };
    ctx.state.route = resolved;
    ctx.state.fhirVersion = version as FhirVersion;
    refuseXmlOnly(ctx as Context);
    if (resolved.document !== undefined) return proceed(ctx as Context, resolved, version as FhirVersion, undefined);
    const tenant = authenticate(ctx as Context, options, version as FhirVersion);
    return tenant instanceof Promise ? tenant.then((known) => proceed(ctx as Context, resolved, version as FhirVersion, known)) : proceed(ctx as Context, resolved, version as FhirVersion, tenant);
  };
}

/**
 * Verifies the bearer token and resolves its tenant to the hospital server of this version. A token
 * verified before is answered from the verifier's cache without a promise: the common read stays synchronous.
 */
function authenticate(ctx: Context, options: GatewayOptions, version: FhirVersion): Tenant | Promise<Tenant> {
  const header = ctx.get('Authorization');
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!token) {
    throw new InvalidTokenError('missing', header ? 'the Authorization header is not "Bearer <token>"' : `a bearer token is required: get one at ${TOKEN_PATH}`);
  }
  const state = ctx.state as SandboxState;
  const refused = (error: unknown): never => {
    if (error instanceof InvalidTokenError) noteRefusedToken(state, token);
    throw error;
  };
  let cached: VerifiedToken | undefined;
  try {
    cached = options.auth.verifier.verifyCached(token);
  } catch (error) {
    return refused(error);
  }
  if (cached !== undefined) return admit(ctx, options, version, cached);
  return options.auth.verify(token).then((verified) => admit(ctx, options, version, verified), refused);
}

/** The verified token's tenant, if it exists, is served by this version and is ready. */
function admit(ctx: Context, { tenants, publicBaseUrl }: GatewayOptions, version: FhirVersion, verified: VerifiedToken): Tenant {
  const state = ctx.state as SandboxState;
  state.token = verified;
  state.clientId = verified.clientId;
  state.tenantId = verified.tenantId;
  const tenant = tenants.get(verified.tenantId);
  if (!tenant) throw new InvalidTokenError('unknown-tenant', `tenant ${verified.tenantId} no longer exists`);
  if (tenant.fhirVersion !== version) {
    const origin = requestOrigin(ctx, publicBaseUrl);
    throw badRequest(`tenant ${tenant.id} (${tenant.hospital}) is served by a ${tenant.fhirVersion.toUpperCase()} server: use ${origin}/fhir/${tenant.fhirVersion}`);
  }
  if (!tenant.ready) {
    ctx.set('Retry-After', '1');
    throw Object.assign(new Error(`tenant ${tenant.id} is still being seeded; try again shortly`), { status: 503, expose: true });
  }
  return tenant;
}

/**
 * Whose token was refused, read from its claims without trusting them: the request log and the report
 * card attribute the 401 to the client the token names. Only on the refusal path, so reads stay cheap.
 */
function noteRefusedToken(state: SandboxState, token: string): void {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    return;
  }
  if (typeof claims.jti === 'string') state.refusedTokenJti = claims.jti;
  if (typeof claims.sub === 'string') state.clientId = claims.sub;
}

function serveMetadata(ctx: Context, options: GatewayOptions): void {
  const version = (ctx.state as SandboxState).fhirVersion as FhirVersion;
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
  writeFhirResponse(ctx, { status: 200, resource: body }, fhirContentType(version));
}

function serveSmartConfiguration(ctx: Context, options: GatewayOptions): void {
  const version = (ctx.state as SandboxState).fhirVersion as FhirVersion;
  const origin = requestOrigin(ctx, options.publicBaseUrl);
  ctx.type = 'application/json';
  ctx.body = smartConfiguration(adapterFor(version), { tokenUrl: `${origin}${TOKEN_PATH}`, authorizeUrl: `${origin}${AUTHORIZE_PATH}`, jwksUrl: `${origin}${JWKS_PATH}` });
}

/** Adapts the Koa request into a FhirRequest, lets the FHIR core answer, and writes the answer; an upstream tenant's call goes to its server. */
function forward(ctx: Context, { tenants, clock, publicBaseUrl }: GatewayOptions): void | Promise<void> {
  const state = ctx.state as SandboxState;
  const version = state.fhirVersion as FhirVersion;
  const tenant = tenantOf(ctx, tenants);
  if (tenant.upstream !== undefined) return forwardUpstream(ctx, tenant.upstream, publicBaseUrl);
  const basePath = `/fhir/${version}`;
  const headers: FhirRequest['headers'] = {};
  const ifMatch = ctx.get('If-Match');
  const ifNoneMatch = ctx.get('If-None-Match');
  const prefer = ctx.get('Prefer');
  if (ifMatch) headers.ifMatch = ifMatch;
  if (ifNoneMatch) headers.ifNoneMatch = ifNoneMatch;
  if (prefer) headers.prefer = prefer;
  const isForm = (state.route as GatewayRoute).hasBody && !(state.route as GatewayRoute).jsonBody;
  const request: FhirRequest = {
    method: ctx.method as FhirMethod,
    path: ctx.path.slice(basePath.length).replace(/^\/+|\/+$/g, ''),
    params: searchParams(ctx, isForm),
    body: isForm ? undefined : (ctx.request as { body?: unknown }).body,
    headers,
    baseUrl: `${requestOrigin(ctx, publicBaseUrl)}${basePath}`,
  };
  const adapter = adapterFor(version);
  // The token's SMART scopes, worked out when it was verified; none means full access.
  const permits = state.token?.permissions?.permits;
  writeFhirResponse(ctx, handleFhirRequest(request, { adapter, store: tenant.store, readOnly: tenant.readOnly, clock, permits }), fhirContentType(version));
}

/** The tenant the verified token routes to. */
function tenantOf(ctx: Context, tenants: TenantDirectory): Tenant {
  const tenant = tenants.get((ctx.state as SandboxState).tenantId as string);
  if (!tenant) throw new InvalidTokenError('unknown-tenant', 'the token names no known tenant');
  return tenant;
}

/** Query parameters, then form fields of a POST _search, in arrival order. */
function searchParams(ctx: Context, isForm: boolean): Array<[string, string]> {
  const query = ctx.querystring;
  const pairs: Array<[string, string]> = query === '' ? [] : [...new URLSearchParams(query)];
  if (isForm) pairs.push(...parseFormBody((ctx.request as { body?: unknown }).body));
  return pairs.some(([name]) => FORMAT_PARAMS.has(name)) ? pairs.filter(([name]) => !FORMAT_PARAMS.has(name)) : pairs;
}

/** The sandbox speaks FHIR JSON only; a client that insists on XML gets 406, not JSON it cannot read. */
function refuseXmlOnly(ctx: Context): void {
  // Every request passes here: negotiate only when XML is mentioned at all.
  const query = ctx.querystring;
  const format = query.includes('_format') ? new URLSearchParams(query).get('_format') : null;
  const wantsXmlOnly = format !== null ? /xml/i.test(format) : /xml/i.test(ctx.get('Accept')) && !ctx.accepts(['json', ...FHIR_JSON_TYPES]);
  if (wantsXmlOnly) {
    throw Object.assign(new Error('this server answers in FHIR JSON only (application/json+fhir, application/fhir+json)'), { status: 406, expose: true });
  }
}
