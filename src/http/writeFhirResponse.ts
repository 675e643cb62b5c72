import type { Context } from 'koa';
import type { FhirResponse } from '../fhir/types.js';
import type { SandboxState } from './httpState.js';

/** Writes the FHIR core's answer: status, its headers, and the body (stored bytes as they are). */
export function writeFhirResponse(ctx: Context, response: FhirResponse, contentType: string): void {
  ctx.status = response.status;
  if (response.nextLink !== undefined) (ctx.state as SandboxState).nextLink = response.nextLink;
  // Straight onto the response: the core's headers are single strings, and nothing is sent yet, which is
  // all `ctx.set` would check; `ctx.type =` would also run a MIME lookup on every response.
  const res = ctx.res;
  if (response.headers) for (const name in response.headers) res.setHeader(name, response.headers[name] as string);
  const body = response.json ?? (response.resource !== undefined ? JSON.stringify(response.resource) : undefined);
  if (body !== undefined) {
    res.setHeader('Content-Type', contentType);
    ctx.body = body;
  } else {
    // No body at all (Prefer: return=minimal), not Koa's text/plain status message. Setting null
    // turns the status into 204, so the status is set again after it.
    ctx.body = null;
    ctx.status = response.status;
  }
}
