import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { AdminError } from './adminError.js';

/**
 * With an admin key configured, every admin request must carry it: `Authorization: Bearer <key>`
 * or `X-Admin-Key: <key>`. Without a key the control plane is open (fine on loopback; the CLI warns
 * when it binds elsewhere). Throws AdminError 401.
 */
export function adminKeyCheck(adminKey: string | undefined): (ctx: Context) => void {
  if (adminKey === undefined) return () => undefined;
  const expected = digest(adminKey);
  return (ctx) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(ctx.get('Authorization'))?.[1];
    const presented = ctx.get('X-Admin-Key') || bearer;
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="patients-sandbox admin"');
      // A key in the query string ends up in shell history and proxy logs: it is not read, and saying so saves a puzzle.
      const hint = 'key' in ctx.query ? ' (in a header, not in the URL: ?key= is not accepted)' : '';
      throw new AdminError(401, 'unauthorized', `this sandbox requires its admin key: send Authorization: Bearer <key> or X-Admin-Key${hint}`);
    }
  };
}

// Hashing both sides first gives equal-length buffers, as timingSafeEqual requires.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
