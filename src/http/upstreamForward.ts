import type { Readable } from 'node:stream';
import type { Context } from 'koa';
import type { FhirMethod } from '../fhir/types.js';
import { discard } from '../upstream/upstreamHttp.js';
import type { ForwardedHeaders, ProxyRequest, UpstreamTenant } from '../upstream/upstreamTenant.js';
import type { GatewayRoute } from './gatewayRoute.js';
import type { SandboxState } from './httpState.js';
import { requestOrigin } from './requestOrigin.js';

// A fault that reshapes an answer needs it whole; an answer larger than this streams on unreshaped.
const MAX_RESHAPED_BYTES = 32 * 1024 * 1024;

/**
 * The gateway's adapter for an upstream tenant: the Koa request as a ProxyRequest (path, query, form
 * or JSON body, the headers that matter, the token's scopes), the proxy's answer written back with
 * its body streaming. How long the upstream took is left on ctx.state for the request event.
 */
export async function forwardUpstream(ctx: Context, upstream: UpstreamTenant, publicBaseUrl: string | undefined): Promise<void> {
  const state = ctx.state as SandboxState;
  const route = state.route as GatewayRoute;
  const basePath = `/fhir/${state.fhirVersion as string}`;
  const parsed = (ctx.request as { body?: unknown }).body;
  const body = !route.hasBody ? undefined : route.jsonBody ? { json: parsed } : { form: typeof parsed === 'string' ? parsed : '' };
  const aborted = new AbortController();
  ctx.res.once('close', () => aborted.abort());
  const request: ProxyRequest = {
    method: ctx.method as FhirMethod,
    path: ctx.path.slice(basePath.length).replace(/^\/+|\/+$/g, ''),
    query: ctx.querystring,
    headers: forwardedHeaders(ctx, state.requestId),
    body,
    gatewayBase: `${requestOrigin(ctx, publicBaseUrl)}${basePath}`,
    permits: state.token?.permissions?.permits,
    signal: aborted.signal,
  };
  const started = performance.now();
  try {
    const answer = await upstream.forward(request);
    ctx.status = answer.status;
    for (const name in answer.headers) ctx.set(name, answer.headers[name] as string);
    if (answer.body === undefined || answer.contentType === undefined) {
      if (answer.body !== undefined) discard(answer.body);
      // No body at all, not Koa's text/plain status message (setting null turns the status into 204).
      ctx.body = null;
      ctx.status = answer.status;
      return;
    }
    if (answer.nextLink !== undefined) state.nextLink = answer.nextLink;
    ctx.set('Content-Type', answer.contentType);
    ctx.body = state.reshapeBody === true ? await readWhole(answer.body, MAX_RESHAPED_BYTES) : answer.body;
  } finally {
    state.upstreamMs = Math.round((performance.now() - started) * 100) / 100;
  }
}

function forwardedHeaders(ctx: Context, requestId: string): ForwardedHeaders {
  const headers: ForwardedHeaders = { requestId };
  const prefer = ctx.get('Prefer');
  const ifMatch = ctx.get('If-Match');
  const ifNoneMatch = ctx.get('If-None-Match');
  const ifModifiedSince = ctx.get('If-Modified-Since');
  const ifNoneExist = ctx.get('If-None-Exist');
  if (prefer) headers.prefer = prefer;
  if (ifMatch) headers.ifMatch = ifMatch;
  if (ifNoneMatch) headers.ifNoneMatch = ifNoneMatch;
  if (ifModifiedSince) headers.ifModifiedSince = ifModifiedSince;
  if (ifNoneExist) headers.ifNoneExist = ifNoneExist;
  return headers;
}

/** The body as one Buffer for a fault to reshape; past `limit`, what was read and the rest stream on instead. */
async function readWhole(body: Readable, limit: number): Promise<Buffer | Readable> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body.iterator({ destroyOnReturn: false })) {
    const bytes = chunk as Buffer;
    chunks.push(bytes);
    size += bytes.length;
    if (size > limit) {
      body.unshift(Buffer.concat(chunks));
      return body;
    }
  }
  return Buffer.concat(chunks);
}
