import type { Context } from 'koa';

/**
 * The sandbox's own origin as the client reached it: the configured public URL, else protocol and
 * Host of the request. (Koa 3's `ctx.origin` is the caller's Origin header, which is not this.)
 */
export function requestOrigin(ctx: Context, publicBaseUrl: string | undefined): string {
  return publicBaseUrl ?? `${ctx.protocol}://${ctx.host}`;
}
