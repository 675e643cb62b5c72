import type { AddressInfo } from 'node:net';
import type { SandboxConfig } from '../config/sandboxConfig.js';
import { listen } from '../http/listen.js';
import { writeReportFile } from '../report/writeReportFile.js';
import { createSandbox, type Sandbox } from '../sandbox.js';
import { simulateDemoClients } from '../simulator/simulateDemoClients.js';
import { closeUpstreams } from '../tenants/upstreamTenants.js';
import { banner } from './banner.js';
import { startHeadlessLog, type HeadlessLog } from './headlessLog.js';
import { isLoopback } from './isLoopback.js';
import { listeningDetails } from './listeningDetails.js';
import { startScenarioWhenSeeded } from './startScenarioWhenSeeded.js';
import { untilShutdownSignal } from './untilShutdownSignal.js';

/** Shutdown with --persist edits that could not be written. */
export const EXIT_UNSAVED_EDITS = 3;

export interface ServeOptions {
  /** A terminal is attached and --headless was not given. */
  interactive: boolean;
  version: string;
}

/** Why the server stops: a signal, `q` on the dashboard, or seeding failed (a bad data file, a bug). */
type StopReason = { kind: 'signal'; signal: NodeJS.Signals } | { kind: 'quit' } | { kind: 'seeding-failed'; error: unknown };

/**
 * Runs the sandbox until SIGINT/SIGTERM (or `q` on the dashboard); resolves with the process exit code.
 * A start that fails (a bad profile, a port in use, a data file that does not load) rejects with the
 * error once everything is closed, so the CLI reports it in one place.
 */
export async function serve(config: SandboxConfig, options: ServeOptions): Promise<number> {
  const sandbox = await createSandbox(config);
  // Handled from the start: seeding runs while the server starts listening, and may fail first.
  const seedingFailed = sandbox.seeded.then(
    () => new Promise<never>(() => undefined),
    (error: unknown): StopReason => ({ kind: 'seeding-failed', error }),
  );
  // Before listening, so seeding progress and the "listening" line are all on stdout.
  const headless = options.interactive ? undefined : startHeadlessLog(sandbox.events, undefined, config.logRequests);
  try {
    return await serveUntilStopped(sandbox, options, headless, seedingFailed);
  } finally {
    await headless?.close();
  }
}

async function serveUntilStopped(sandbox: Sandbox, options: ServeOptions, headless: HeadlessLog | undefined, seedingFailed: Promise<StopReason>): Promise<number> {
  const { config } = sandbox;
  const running = await listen(sandbox.app, config.port, config.host);
  const origin = config.publicBaseUrl ?? running.origin;
  const stopped = Promise.race<StopReason>([untilShutdownSignal().then((signal) => ({ kind: 'signal', signal })), seedingFailed]);
  // Headless stdout carries only JSON lines; the human-readable banner goes to stderr there. On a terminal it
  // stays on the normal screen, under the dashboard's alternate screen, for after the dashboard closes.
  (options.interactive ? process.stdout : process.stderr).write(banner(sandbox, origin));
  headless?.listening(listeningDetails(sandbox, origin, (running.server.address() as AddressInfo).port));
  // The dashboard's `q` takes the same shutdown path as Ctrl+C in a shell (in-flight requests finish first),
  // without pretending a signal arrived.
  let quitFromDashboard: () => void = () => undefined;
  const quit = new Promise<StopReason>((resolve) => {
    quitFromDashboard = () => resolve({ kind: 'quit' });
  });
  // Loaded only on a terminal: headless starts without ink and react.
  const dashboard = options.interactive ? (await import('../dashboard/showSandboxDashboard.js')).showSandboxDashboard(sandbox, origin, () => quitFromDashboard()) : undefined;
  if (!isLoopback(config.host) && config.adminKey === undefined) {
    sandbox.events.emit({
      type: 'warning',
      at: sandbox.clock.now(),
      message: `listening on ${config.host} without an admin key: anyone who can reach this port can change clients and faults (set --admin-key or PATIENTS_SANDBOX_ADMIN_KEY)`,
    });
  }
  if (config.scenario !== undefined) startScenarioWhenSeeded(sandbox, config.scenario);
  // Loopback, not the public URL: the demo client runs in this process and must reach it whatever proxy fronts it.
  const simulator = config.simulateClient ? simulateDemoClients(sandbox, running.origin) : undefined;

  const reason = await Promise.race([stopped, quit]);
  // On the dashboard, stderr would land on the alternate screen and vanish with it: report after it closes.
  dashboard?.stop();
  if (reason.kind === 'signal') process.stderr.write(`patients-sandbox: ${reason.signal} received, finishing in-flight requests…\n`);
  if (reason.kind === 'quit') process.stderr.write('patients-sandbox: stopping, finishing in-flight requests…\n');
  await simulator?.stop();
  await running.close();
  // Recordings are complete only once the last answers have passed through.
  await closeUpstreams(sandbox.tenants);
  const unsaved = (await sandbox.persistence?.flush()) ?? [];
  for (const tenant of unsaved) {
    process.stderr.write(`patients-sandbox: edits of tenant ${tenant.tenantId} (${tenant.name}) are lost: could not write ${tenant.file}: ${tenant.error}\n`);
  }
  if (reason.kind === 'seeding-failed') throw reason.error;
  if (config.reportFile !== undefined) await writeReportFile(config.reportFile, sandbox.control.reportCard());
  return unsaved.length > 0 ? EXIT_UNSAVED_EDITS : 0;
}
