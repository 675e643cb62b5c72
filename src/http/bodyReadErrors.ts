import type { Middleware } from 'koa';

/**
 * Wraps a body parser so that a body that cannot be read as sent (gzip or deflate that does not
 * decompress, a stream that breaks off) is the client's 400, as every route family reports it,
 * rather than an unexplained 500. Errors that already carry a status (413, 415, bad JSON) keep it,
 * and errors from the middlewares after the parser pass through untouched.
 */
export function refuseUnreadableBodies<S>(parseBody: Middleware<S>): Middleware<S> {
  return async (ctx, next) => {
    let parsed = false;
    try {
      await parseBody(ctx, async () => {
        parsed = true;
        await next();
      });
    } catch (error) {
      if (parsed) throw error;
      throw asBodyReadError(error, ctx.get('Content-Encoding'));
    }
  };
}

/** A body reader's error as the client's answer: its own status when it has one, else a 400 naming the encoding. */
export function asBodyReadError(error: unknown, contentEncoding: string): unknown {
  if (hasStatus(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`the request body could not be read with Content-Encoding ${contentEncoding || 'identity'}: ${reason}`), { status: 400, expose: true });
}

function hasStatus(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600;
}
