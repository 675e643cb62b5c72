import { AuthService } from '../../src/auth/authService.js';
import { EventBus } from '../../src/events/eventBus.js';
import type { SandboxEvent } from '../../src/events/types.js';
import { ManualClock } from '../../src/lib/clock.js';

export const TENANT_A = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';
export const TENANT_B = '7a1c9d42-2e3f-4b5a-8c6d-1e2f3a4b5c60';
export const UNKNOWN_TENANT = '00000000-0000-4000-8000-000000000000';
export const ISSUER = 'urn:test:partner';
export const AUDIENCE = 'urn:test:gateway';

/** An AuthService on a manual clock with two tenants and a client allowed only on tenant A. */
export async function authFixture(options: { strict?: boolean; lifetimeSeconds?: number } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const events = new EventBus();
  const seen: SandboxEvent[] = [];
  events.subscribe((event) => seen.push(event));
  const auth = await AuthService.create({
    clock,
    events,
    issuer: ISSUER,
    audience: AUDIENCE,
    tokenLifetimeSeconds: options.lifetimeSeconds ?? 3600,
    strict: options.strict ?? false,
    tenantExists: (id) => id === TENANT_A || id === TENANT_B,
  });
  auth.clients.create({ id: 'app', secret: 'app-secret-123', tenants: [TENANT_A] });
  const tokenFor = async (tenant = TENANT_A) =>
    (await auth.requestToken({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'app-secret-123', scope: tenant }, undefined)).body
      .access_token;
  return { auth, clock, events, seen, tokenFor };
}
