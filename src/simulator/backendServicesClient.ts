import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import type { RandomSource } from '../lib/random.js';
import type { Sandbox } from '../sandbox.js';
import { privateKeyJwt } from './clientAuthentication.js';
import { startSimulatedClient, type RunningSimulatedClient } from './simulatedClient.js';
import type { SimulatorTuning } from './simulateProfileClient.js';

/** The client the simulator registers for itself; a profile client of this id gets the simulator's key added. */
export const SIMULATED_BACKEND_CLIENT_ID = 'simulated-backend-services';
const SCOPES = ['system/*.rs'];
const ALGORITHM = 'ES384';
/** A whole-population pull, as a backend client runs it overnight; here every few minutes so a demo sees it. */
const BULK_EXPORT = { kickoffPath: 'Patient/$export', everyMs: 5 * 60_000 };

type Tuning = SimulatorTuning & { random: RandomSource };

/**
 * A SMART Backend Services client on the R4 tenants: it makes a key pair, registers its public key
 * through the control plane (so the dashboard and admin API show the client), then loads pages with
 * tokens got by signed assertions and `system/*.rs`, and runs a Bulk Data export every few minutes.
 */
export function startBackendServicesClient(sandbox: Sandbox, loopbackOrigin: string, tenantIds: readonly string[], tuning: Tuning): RunningSimulatedClient {
  let stopping = false;
  const started = register(sandbox, tenantIds).then(
    (credentials) => {
      if (stopping) return undefined;
      return startSimulatedClient({
        origin: loopbackOrigin,
        client: privateKeyJwt({ clientId: SIMULATED_BACKEND_CLIENT_ID, ...credentials, alg: ALGORITHM, scopes: SCOPES, clock: sandbox.clock }),
        tenants: tenantIds.map((id) => ({ id, fhirVersion: 'r4' as const })),
        events: sandbox.events,
        clock: sandbox.clock,
        bulkExport: BULK_EXPORT,
        ...tuning,
      });
    },
    (error: unknown) => {
      sandbox.events.emit({ type: 'simulator', at: sandbox.clock.now(), action: 'gave-up', message: `the backend-services client could not register: ${String(error)}` });
      return undefined;
    },
  );
  return {
    async stop() {
      stopping = true;
      await (await started)?.stop();
    },
  };
}

async function register(sandbox: Sandbox, tenantIds: readonly string[]): Promise<{ privateKey: CryptoKey; kid: string }> {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  // The RFC 7638 thumbprint: a kid no other key has, however often the simulator starts.
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwk = { ...publicJwk, kid, alg: ALGORITHM, use: 'sig' };
  const exists = sandbox.control.listClients().some((client) => client.id === SIMULATED_BACKEND_CLIENT_ID);
  if (exists) sandbox.control.addClientKeys(SIMULATED_BACKEND_CLIENT_ID, [jwk]);
  else sandbox.control.createClient({ id: SIMULATED_BACKEND_CLIENT_ID, name: 'Simulated backend-services client (R4)', keys: [jwk], tenants: tenantIds, scopes: SCOPES });
  return { privateKey, kid };
}
