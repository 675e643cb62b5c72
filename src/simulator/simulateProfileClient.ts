import { demoClientOf } from '../config/demoClient.js';
import { deriveSeed, seededRandom } from '../lib/random.js';
import type { Sandbox } from '../sandbox.js';
import { clientSecretPost } from './clientAuthentication.js';
import { startSimulatedClient, type RunningSimulatedClient, type SimulatedClientOptions } from './simulatedClient.js';

export type SimulatorTuning = Pick<SimulatedClientOptions, 'paceMs' | 'retry' | 'cooldownMs' | 'requestTimeoutMs' | 'sleep' | 'fetch'>;

/** Demo traffic as the profile's first client with a secret, over every tenant it may use; undefined when the profile has no client. */
export function simulateProfileClient(
  sandbox: Sandbox,
  loopbackOrigin: string,
  tuning: SimulatorTuning = {},
): RunningSimulatedClient | undefined {
  const { profile, seed } = sandbox.config;
  const client = demoClientOf(profile);
  if (client === undefined) return undefined;
  const allowed = client.tenants === '*' ? undefined : new Set(client.tenants.map((id) => id.toLowerCase()));
  return startSimulatedClient({
    origin: loopbackOrigin,
    client: clientSecretPost(client.id, client.secret),
    tenants: profile.tenants
      .filter((tenant) => allowed === undefined || allowed.has(tenant.id.toLowerCase()))
      .map((tenant) => ({ id: tenant.id, fhirVersion: tenant.fhirVersion })),
    events: sandbox.events,
    clock: sandbox.clock,
    // Its own stream: the demo client's choices do not shift the fault draws.
    random: seededRandom(deriveSeed(seed, 'simulated-client')),
    ...tuning,
  });
}
