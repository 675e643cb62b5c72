import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { AdminError } from './adminError.js';
import type { SandboxState } from './httpState.js';

/**
 * Reads an admin request's JSON body into `ctx.request.body` (and `ctx.req.body`, for json-server),
 * up to `limit`. A body that is not JSON is a 400, one over the limit a 413, both as AdminErrors.
 */
export function adminJsonBody(limit: string): Middleware<SandboxState> {
  return bodyParser({
    enableTypes: ['json'],
    jsonLimit: limit,
    patchNode: true,
    onError: (error) => {
      if ((error as { status?: unknown }).status === 413) throw new AdminError(413, 'body-too-large', `the body is larger than ${limit}`);
      throw new AdminError(400, 'bad-json', `the body is not valid JSON (${error.message})`);
    },
  }) as Middleware<SandboxState>;
}
