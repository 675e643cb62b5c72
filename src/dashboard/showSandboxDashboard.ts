import { demoClientOf } from '../config/demoClient.js';
import type { Sandbox } from '../sandbox.js';
import { FHIR_VERSIONS } from '../fhir/types.js';
import { coloursWanted } from './palette.js';
import { startDashboard, type RunningDashboard } from './startDashboard.js';

/** The dashboard for a running sandbox: the banner's facts go into the header, the control plane drives the keys. */
export function showSandboxDashboard(sandbox: Sandbox, origin: string, onQuit: () => void): RunningDashboard {
  const { profile } = sandbox.config;
  const demoClient = demoClientOf(profile);
  const fhirVersions = FHIR_VERSIONS.filter((version) => profile.tenants.some((tenant) => tenant.fhirVersion === version));
  return startDashboard({
    control: sandbox.control,
    events: sandbox.events,
    clock: sandbox.clock,
    colours: coloursWanted(process.env),
    onQuit,
    info: {
      version: sandbox.version,
      profileName: profile.name,
      origin,
      fhirVersions,
      demoClient: demoClient === undefined ? undefined : { id: demoClient.id, secret: demoClient.secret },
      simulating: sandbox.config.simulateClient === true,
      startedAt: sandbox.clock.now(),
    },
  });
}
