import type { Middleware } from 'koa';
import type { ControlPlane } from '../control/controlPlane.js';
import type { TenantDirectory } from '../tenants/tenantDirectory.js';
import { frontDoorInfo, type FrontDoorFacts } from './frontDoorInfo.js';
import { frontDoorPage } from './frontDoorPage.js';
import type { SandboxState } from './httpState.js';
import { requestOrigin } from './requestOrigin.js';

/** `GET /`: what a newcomer needs, as HTML for a browser and as JSON for anything else. */
export function frontDoor(facts: FrontDoorFacts, control: ControlPlane, tenants: TenantDirectory, publicBaseUrl: string | undefined): Middleware<SandboxState> {
  return async (ctx, next) => {
    if (ctx.path !== '/' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const door = frontDoorInfo(facts, control, tenants, requestOrigin(ctx, publicBaseUrl));
    ctx.vary('Accept');
    ctx.set('Cache-Control', 'no-store');
    // JSON unless the client names HTML (browsers do); curl's */* gets JSON.
    if (ctx.accepts('json', 'html') === 'html') {
      ctx.type = 'text/html; charset=utf-8';
      // Inline style and script only: nothing is loaded from elsewhere.
      ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
      ctx.body = frontDoorPage(door);
    } else {
      ctx.body = door;
    }
  };
}
