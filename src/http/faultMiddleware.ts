import { once } from 'node:events';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type Koa from 'koa';
import { brokenLinkResponse, breakNextLink, readBrokenLink } from '../faults/brokenPageLink.js';
import { asSearchBundle, bodyText, findLink, htmlErrorPage, malformJson, misstateTotal } from '../faults/corruptBody.js';
import { errorResponse } from '../faults/errorResponse.js';
import type { FaultResponse } from '../faults/errorResponse.js';
import type { FaultEngine } from '../faults/FaultEngine.js';
import { FAULT_LIMITS } from '../faults/limits.js';
import type { FaultTarget, ResponseEffect, TransportEffect } from '../faults/types.js';

/** Resolves after `ms`, or early when `signal` aborts (the client went away). */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface FaultMiddlewareOptions {
  /** Read per request, so the header can be switched at run time. */
  exposeHeader: () => boolean;
  /** The longest a `hang` keeps a connection open before destroying it. */
  maxHangMs: number;
  sleep?: Sleep;
}

export const FAULT_HEADER = 'X-Sandbox-Fault';

const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined);

function faultTargetOf(state: unknown): FaultTarget | undefined {
  const target: unknown = (state as { faultTarget?: unknown } | undefined)?.faultTarget;
  if (typeof target !== 'object' || target === null) return undefined;
  return typeof (target as { interaction?: unknown }).interaction === 'string' ? (target as FaultTarget) : undefined;
}

/** An AbortSignal that fires when the client's connection closes before we answered. */
function clientGone(ctx: Koa.Context): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const abort = (): void => {
    ctx.state.clientClosed = true;
    controller.abort();
  };
  ctx.res.once('close', abort);
  return { signal: controller.signal, dispose: () => ctx.res.off('close', abort) };
}

/**
 * Applies the fault engine's decision to a request. Routes opt in by setting `ctx.state.faultTarget`
 * before this runs; it records what it did in `ctx.state.fault` (rule names, comma-separated) and,
 * when asked, in an X-Sandbox-Fault header.
 */
export function faultMiddleware(engine: FaultEngine, options: FaultMiddlewareOptions): Koa.Middleware {
  const sleep = options.sleep ?? defaultSleep;
  const maxHangMs = Math.min(Math.max(options.maxHangMs, 0), FAULT_LIMITS.maxMs);

  // A rule that both delays and fails a request is named once.
  const mark = (ctx: Koa.Context, rule: string, kind: string): void => {
    // Latency is the lesser fault: an error or a broken answer after a delay is reported as such.
    if (ctx.state.faultKind === undefined || ctx.state.faultKind === 'latency') ctx.state.faultKind = kind;
    const previous: unknown = ctx.state.fault;
    const earlier = typeof previous === 'string' && previous !== '' ? previous.split(',') : [];
    const names = earlier.includes(rule) ? earlier.join(',') : [...earlier, rule].join(',');
    ctx.state.fault = names;
    if (options.exposeHeader() && !ctx.headerSent) ctx.set(FAULT_HEADER, names);
  };

  const hang = async (ctx: Koa.Context, maxMs: number | undefined): Promise<void> => {
    ctx.respond = false;
    const gone = clientGone(ctx);
    try {
      await sleep(Math.min(maxMs ?? maxHangMs, maxHangMs), gone.signal);
    } finally {
      gone.dispose();
    }
    ctx.req.socket.destroy();
  };

  /** Hang, reset and empty reply act instead of the handler; truncate lets it answer, then cuts the answer short. */
  const transportFault = async (ctx: Koa.Context, next: Koa.Next, rule: string, transport: TransportEffect): Promise<void> => {
    switch (transport.kind) {
      case 'hang':
        mark(ctx, rule, 'hang');
        return hang(ctx, transport.maxMs);
      case 'reset':
        mark(ctx, rule, 'reset');
        ctx.respond = false;
        ctx.req.socket.resetAndDestroy();
        return;
      case 'empty-reply':
        mark(ctx, rule, 'empty-reply');
        ctx.respond = false;
        ctx.req.socket.end(() => ctx.req.socket.destroy());
        return;
      case 'truncate': {
        ctx.state.reshapeBody = true;
        await next();
        if (!canRewrite(ctx)) return;
        // A streamed body (an export file) is cut while it streams: its length is known, its text never held.
        if (ctx.body instanceof Readable && ctx.length !== undefined && ctx.length >= 2) {
          mark(ctx, rule, 'truncate');
          return truncateStream(ctx, ctx.body, ctx.length, transport.keepFraction ?? 0.5);
        }
        const text = bodyText(ctx.body);
        if (text === undefined || Buffer.byteLength(text) < 2) return;
        mark(ctx, rule, 'truncate');
        return truncate(ctx, text, transport.keepFraction ?? 0.5);
      }
    }
  };

  return async function fault(ctx, next) {
    if (engine.idle) return next();
    const target = faultTargetOf(ctx.state);
    if (target === undefined) return next();

    if (target.interaction === 'search' && engine.pagingLinksBroken) {
      const broken = readBrokenLink(ctx.querystring);
      if (broken !== undefined) {
        mark(ctx, broken.rule, 'followed-broken-link');
        return send(ctx, brokenLinkResponse(broken, target, ctx.href));
      }
    }

    const decision = engine.decide(target);
    if (decision === undefined) return next();

    if (decision.latency !== undefined) {
      mark(ctx, decision.latency.rule, 'latency');
      const gone = clientGone(ctx);
      try {
        await sleep(decision.latency.ms, gone.signal);
      } finally {
        gone.dispose();
      }
    }

    const outcome = decision.outcome;
    switch (outcome?.kind) {
      case undefined:
        return next();
      case 'error':
        mark(ctx, outcome.rule, 'error');
        return send(ctx, errorResponse(outcome.error, target));
      case 'transport':
        return transportFault(ctx, next, outcome.rule, outcome.transport);
      case 'response':
        ctx.state.reshapeBody = true;
        await next();
        if (canRewrite(ctx) && reshape(ctx, outcome.response, outcome.rule)) mark(ctx, outcome.rule, outcome.response.kind);
        return;
    }
  };

  function reshape(ctx: Koa.Context, response: ResponseEffect, rule: string): boolean {
    switch (response.kind) {
      case 'malformed-json': {
        const text = bodyText(ctx.body);
        if (text === undefined || text === '') return false;
        ctx.body = malformJson(text);
        return true;
      }
      case 'wrong-content-type':
        ctx.set('Content-Type', response.contentType ?? 'text/html; charset=utf-8');
        if (response.replaceBody !== false) ctx.body = htmlErrorPage(ctx.status);
        return true;
      case 'broken-next-link': {
        const bundle = asSearchBundle(ctx.body);
        const broken = bundle === undefined ? undefined : breakNextLink(bundle, response.mode ?? 'not-found', rule);
        if (broken === undefined) return false;
        engine.notePagingLinkBroken();
        ctx.state.nextLink = findLink(broken, 'next');
        replaceJson(ctx, broken);
        return true;
      }
      case 'total-mismatch': {
        const bundle = asSearchBundle(ctx.body);
        if (bundle === undefined) return false;
        replaceJson(ctx, misstateTotal(bundle, response.delta ?? 3));
        return true;
      }
    }
  }
}

/** A handler that wrote to the socket itself, or a HEAD response, has no body we may change. */
function canRewrite(ctx: Koa.Context): boolean {
  return ctx.respond !== false && !ctx.headerSent && ctx.method !== 'HEAD';
}

/** Keep the body in the form the handler chose (text stays text), and its content type. */
function replaceJson(ctx: Koa.Context, value: object): void {
  ctx.body = typeof ctx.body === 'string' || Buffer.isBuffer(ctx.body) ? JSON.stringify(value) : value;
}

function send(ctx: Koa.Context, response: FaultResponse): void {
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.body = response.body;
}

/** How many of `length` bytes a truncated answer sends: at least one, never all. */
function keptBytes(length: number, keepFraction: number): number {
  return Math.min(length - 1, Math.max(1, Math.floor(length * keepFraction)));
}

/** Headers with the full Content-Length, then only part of the body, then the connection drops. */
function truncate(ctx: Koa.Context, text: string, keepFraction: number): void {
  const full = Buffer.from(text, 'utf8');
  const keep = keptBytes(full.length, keepFraction);
  ctx.respond = false;
  const res = ctx.res;
  res.statusCode = ctx.status;
  res.setHeader('Content-Length', full.length);
  const socket = ctx.req.socket;
  res.write(full.subarray(0, keep), () => socket.destroy());
}

/** The same for a streamed body: the first part of the stream, written as it comes, then the connection drops. */
async function truncateStream(ctx: Koa.Context, stream: Readable, length: number, keepFraction: number): Promise<void> {
  const keep = keptBytes(length, keepFraction);
  ctx.respond = false;
  const res = ctx.res;
  res.statusCode = ctx.status;
  res.setHeader('Content-Length', length);
  const socket = ctx.req.socket;
  let sent = 0;
  try {
    for await (const chunk of stream) {
      const part = (chunk as Buffer).subarray(0, keep - sent);
      sent += part.length;
      if (sent >= keep) {
        res.write(part, () => socket.destroy());
        return;
      }
      if (!res.write(part)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      if (res.destroyed) return;
    }
  } finally {
    stream.destroy();
  }
}
