import { deriveSeed, seededRandom } from '../lib/random.js';
import type { Sandbox } from '../sandbox.js';
import { startBackendServicesClient } from './backendServicesClient.js';
import type { RunningSimulatedClient } from './simulatedClient.js';
import { simulateProfileClient, type SimulatorTuning } from './simulateProfileClient.js';

/**
 * `--simulate-client`: both generations of partner client at once. The profile's secret client over
 * every tenant it may use and, when the profile has R4 tenants, a SMART backend-services client on
 * them (signed assertions, system scopes, a periodic Bulk Data export). Undefined when there is neither.
 */
export function simulateDemoClients(sandbox: Sandbox, loopbackOrigin: string, tuning: SimulatorTuning = {}): RunningSimulatedClient | undefined {
  const clients: RunningSimulatedClient[] = [];
  const secretClient = simulateProfileClient(sandbox, loopbackOrigin, tuning);
  if (secretClient !== undefined) clients.push(secretClient);
  const r4Tenants = sandbox.config.profile.tenants.filter((tenant) => tenant.fhirVersion === 'r4').map((tenant) => tenant.id);
  if (r4Tenants.length > 0) {
    // Its own random stream, so adding it shifts neither the secret client's choices nor the fault draws.
    const random = seededRandom(deriveSeed(sandbox.config.seed, 'simulated-backend-client'));
    clients.push(startBackendServicesClient(sandbox, loopbackOrigin, r4Tenants, { ...tuning, random }));
  }
  if (clients.length === 0) return undefined;
  return {
    async stop() {
      await Promise.all(clients.map((running) => running.stop()));
    },
  };
}
