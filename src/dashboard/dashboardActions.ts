import type { ControlPlane } from '../control/controlPlane.js';
import {
  ERROR_STEPS,
  LATENCY_STEPS,
  TOKEN_LIFETIME_STEPS,
  currentErrorStep,
  currentLatencyStep,
  errorRule,
  errorRuleName,
  latencyRule,
  latencyRuleName,
  shortTenantId,
} from './tenantFaultPresets.js';

/**
 * What each dashboard key does, as calls on the control plane (the same calls the admin API makes).
 * Each returns the line the status bar shows; a refused change throws, and the dashboard shows why.
 */

/** Latency on the tenant: none → 200ms → 1s → lognormal 800ms → none. */
export function cycleTenantLatency(control: ControlPlane, tenantId: string): string {
  const name = latencyRuleName(tenantId);
  const exists = control.listFaultRules().some((rule) => rule.name === name);
  const next = LATENCY_STEPS[(currentLatencyStep(control.listFaultRules(), tenantId) + 1) % LATENCY_STEPS.length]!;
  if (next.latency === undefined) {
    if (exists) control.removeFaultRule(name);
  } else if (exists) {
    control.updateFaultRule(name, latencyRule(tenantId, { ...next, latency: next.latency }));
  } else {
    control.addFaultRule(latencyRule(tenantId, { ...next, latency: next.latency }));
  }
  return `latency on ${shortTenantId(tenantId)}: ${next.label}`;
}

/** Errors on the tenant: none → 503 → 429 → 500 → 502 (1 in 4) → none. */
export function cycleTenantErrors(control: ControlPlane, tenantId: string): string {
  const name = errorRuleName(tenantId);
  const exists = control.listFaultRules().some((rule) => rule.name === name);
  const next = ERROR_STEPS[(currentErrorStep(control.listFaultRules(), tenantId) + 1) % ERROR_STEPS.length]!;
  if (next.error === undefined) {
    if (exists) control.removeFaultRule(name);
  } else if (exists) {
    control.updateFaultRule(name, errorRule(tenantId, { ...next, error: next.error }));
  } else {
    control.addFaultRule(errorRule(tenantId, { ...next, error: next.error }));
  }
  return `errors on ${shortTenantId(tenantId)}: ${next.label}`;
}

/** Lifetime of tokens issued from now on: 3600 → 300 → 30 → 5 s → 3600. */
export function cycleTokenLifetime(control: ControlPlane): string {
  const current = TOKEN_LIFETIME_STEPS.indexOf(control.tokenStatus().lifetimeSeconds);
  const next = TOKEN_LIFETIME_STEPS[(current + 1) % TOKEN_LIFETIME_STEPS.length]!;
  control.setTokenLifetime(next);
  return `new tokens live ${next}s`;
}

export function expireAllTokens(control: ControlPlane): string {
  control.expireAllTokens();
  return 'every token issued before now is refused';
}

/** No grace period: tokens signed with the old key fail at once, which is what a client must survive. */
export async function rotateSigningKey(control: ControlPlane): Promise<string> {
  const kid = await control.rotateSigningKey(0);
  return `signing key rotated to ${kid}; old tokens refused`;
}

/** Applies a preset by name; tenant-outage takes the selected tenant. */
export function applyPreset(control: ControlPlane, presetName: string, tenantId: string | undefined): string {
  const applied = control.applyFaultPreset(presetName, presetName === 'tenant-outage' && tenantId !== undefined ? { tenantId } : {});
  const what = applied.rules.length > 0 ? applied.rules.join(', ') : 'all rules cleared';
  return `preset ${applied.preset}: ${what}${applied.auth ? `; tokens live ${applied.auth.tokenLifetimeSeconds}s` : ''}`;
}

/** Clears the request log the admin API serves, too, so both show the same history. */
export function clearRequestLog(control: ControlPlane): string {
  control.clearRequestLog();
  return 'log cleared';
}

/**
 * A step of a client key rotation that needs no key material: a client with a JWKS URL has it
 * fetched now (it has published its new key); a client with inline keys loses its oldest one once a
 * newer one is registered (POST /admin/clients/<id>/keys adds that).
 */
export async function rotateClientKeys(control: ControlPlane, clientId: string): Promise<string> {
  const client = control.listClients().find((candidate) => candidate.id === clientId);
  if (client === undefined) throw new Error(`no client ${clientId}`);
  if (client.jwksUrl !== null) {
    const refreshed = await control.refreshClientJwks(clientId).catch((error: unknown) => {
      throw new Error(`${clientId}: its JWKS URL ${error instanceof Error ? error.message : String(error)}`);
    });
    return `${clientId}: JWKS URL fetched, keys ${refreshed.jwksUrl?.kids.join(', ') || 'none'}`;
  }
  const [oldest, ...newer] = client.keys;
  if (oldest === undefined) throw new Error(`${clientId} has no keys (it signs in with a secret)`);
  if (newer.length === 0) throw new Error(`${clientId} has one key: register its new key first (POST /admin/clients/${clientId}/keys), then K retires the old one`);
  control.removeClientKey(clientId, oldest.kid);
  return `${clientId}: key ${oldest.kid} retired; ${newer.map((key) => key.kid).join(', ')} left`;
}

/** Starts a scenario by name; its offsets count from now and the report card starts a new window. */
export async function runScenario(control: ControlPlane, name: string): Promise<string> {
  const status = await control.runScenario(name);
  return `scenario ${status.name} started: ${status.steps.length} steps over ${status.durationSeconds}s`;
}

export function stopScenario(control: ControlPlane): string {
  const status = control.stopScenario();
  return `scenario ${status.name} stopped`;
}
