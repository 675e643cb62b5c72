import type { Context } from 'koa';
import type { FhirResponse } from '../fhir/types.js';
import type { SandboxState } from './httpState.js';

/** Writes the FHIR core's answer: status, its headers, and the body (stored bytes as they are). */
export function writeFhirResponse(ctx: Context, response: FhirResponse, contentType: string): void {
  ctx.status = response.status;
  if (response.nextLink !== undefined) (ctx.state as SandboxState).nextLink = response.nextLink;
  if (response.headers) for (const name in response.headers) ctx.set(name, response.headers[name] as string);
  const body = response.json ?? (response.resource !== undefined ? JSON.stringify(response.resource) : undefined);
  if (body !== undefined) {
    // Set the header directly: `ctx.type =` runs a MIME lookup on every response.
    ctx.set('Content-Type', contentType);
    ctx.body = body;
  } else {
    // No body at all (Prefer: return=minimal), not Koa's text/plain status message. Setting null
    // turns the status into 204, so the status is set again after it.
    ctx.body = null;
    ctx.status = response.status;
  }
}
