import type { Middleware, ParameterizedContext } from 'koa';
import { InvalidTokenError } from '../auth/invalidTokenError.js';
import type { EventBus } from '../events/eventBus.js';
import type { RequestFinishedEvent } from '../events/types.js';
import type { Clock } from '../lib/clock.js';
import type { SandboxState } from './httpState.js';
import { requestIds, type RequestIds } from './requestIds.js';
import { writeError } from './writeError.js';

/** Enough of an Accept header to tell which media types it names. */
export const MAX_ACCEPT_LENGTH = 200;

/**
 * The outermost middleware: times the request, turns any error into its route's wire format, and
 * emits one `request` event naming the matched route pattern (so logs group by route, not by URL).
 */
export function requestLifecycle(events: EventBus, clock: Clock, nextRequestId: RequestIds = requestIds()): Middleware<SandboxState> {
  return async (ctx, next) => {
    const started = performance.now();
    const startedAt = clock.now();
    ctx.state.requestId = nextRequestId();
    try {
      await next();
      if (ctx.respond !== false && ctx.status >= 400 && ctx.body == null) writeError(ctx, bodylessStatusError(ctx.status, ctx.method, ctx.path, ctx.response.get('Allow')));
    } catch (error) {
      if (error instanceof InvalidTokenError) ctx.state.tokenRefused = error.reason;
      writeError(ctx, error);
    }
    const state = ctx.state;
    const event: RequestFinishedEvent = {
      type: 'request',
      at: clock.now(),
      requestId: state.requestId,
      method: ctx.method,
      route: state.route?.pattern ?? matchedRoute(ctx),
      path: ctx.path,
      // A route that answered on the raw response (json-server, transport faults) reports what it
      // sent; 0 means no HTTP status reached the client at all (reset, empty reply, hang).
      status: ctx.respond === false ? (ctx.res.headersSent ? ctx.res.statusCode : 0) : ctx.status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      startedAt,
    };
    if (state.tenantId) event.tenantId = state.tenantId;
    if (state.clientId) event.clientId = state.clientId;
    if (state.fault) event.fault = state.fault;
    if (state.upstreamMs !== undefined) event.upstreamMs = state.upstreamMs;
    describeForGrading(ctx, state, event);
    events.emit(event);
  };
}

/**
 * A router that set an error status without a body (no route: 404; @koa/router's allowedMethods: 405
 * with Allow, 501) would otherwise get Koa's plain-text status message: it gets its route's format.
 */
function bodylessStatusError(status: number, method: string, path: string, allow: string): Error {
  const message =
    status === 404
      ? `not found: no route for ${method} ${path}`
      : status === 405
        ? `${method} is not allowed on ${path}${allow ? ` (allowed: ${allow})` : ''}`
        : `${method} ${path} cannot be answered (${status})`;
  return Object.assign(new Error(message), { status, expose: true });
}

/** What the report card needs to judge the client: what it sent, which token, and what it got back. */
function describeForGrading(ctx: ParameterizedContext<SandboxState>, state: SandboxState, event: RequestFinishedEvent): void {
  const headers = ctx.req.headers;
  if (headers.host !== undefined) event.host = headers.host;
  if (headers.accept !== undefined) event.accept = headers.accept.slice(0, MAX_ACCEPT_LENGTH);
  const query = ctx.querystring;
  if (query !== '') event.query = query;
  if (state.fhirVersion !== undefined) event.fhirVersion = state.fhirVersion;
  const jti = state.token?.jti ?? state.refusedTokenJti ?? state.issuedTokenJti;
  if (jti !== undefined) event.tokenJti = jti;
  if (state.tokenRefused !== undefined) event.tokenRefused = state.tokenRefused;
  if (state.faultKind !== undefined) event.faultKind = state.faultKind;
  if (state.clientClosed === true) event.clientClosed = true;
  if (state.nextLink !== undefined) event.nextLink = state.nextLink;
  const retryAfter = ctx.respond === false ? '' : ctx.response.get('Retry-After');
  if (retryAfter !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) event.retryAfterSeconds = seconds;
  }
}

/** The route pattern @koa/router matched, or "(unmatched)" so stray URLs do not each get a group. */
function matchedRoute(ctx: object): string {
  const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
  return typeof matched === 'string' ? matched : '(unmatched)';
}
