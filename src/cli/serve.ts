import type { SandboxConfig } from '../config/sandboxConfig.js';
import { showSandboxDashboard } from '../dashboard/showSandboxDashboard.js';
import { listen } from '../http/listen.js';
import { writeReportFile } from '../report/writeReportFile.js';
import { createSandbox } from '../sandbox.js';
import { simulateProfileClient } from '../simulator/simulateProfileClient.js';
import { banner } from './banner.js';
import { attachHeadlessLog } from './headlessLog.js';
import { isLoopback } from './isLoopback.js';
import { startScenarioWhenSeeded } from './startScenarioWhenSeeded.js';
import { untilShutdownSignal } from './untilShutdownSignal.js';

export interface ServeOptions {
  /** A terminal is attached and --headless was not given. */
  interactive: boolean;
  version: string;
}

/** Runs the sandbox until SIGINT/SIGTERM (or `q` on the dashboard); resolves with the process exit code. */
export async function serve(config: SandboxConfig, options: ServeOptions): Promise<number> {
  const sandbox = await createSandbox(config);
  const running = await listen(sandbox.app, config.port, config.host);
  const origin = config.publicBaseUrl ?? running.origin;
  const shutdownSignal = untilShutdownSignal();
  // Headless stdout carries only JSON lines; the human-readable banner goes to stderr there. On a terminal it
  // stays on the normal screen, under the dashboard's alternate screen, for after the dashboard closes.
  (options.interactive ? process.stdout : process.stderr).write(banner(sandbox, origin));
  // The dashboard's `q` takes the same shutdown path as Ctrl+C in a shell (in-flight requests finish first),
  // without pretending a signal arrived.
  let quitFromDashboard: () => void = () => undefined;
  const quit = new Promise<'quit'>((resolve) => {
    quitFromDashboard = () => resolve('quit');
  });
  const dashboard = options.interactive ? showSandboxDashboard(sandbox, origin, () => quitFromDashboard()) : undefined;
  const detach = dashboard === undefined ? attachHeadlessLog(sandbox.events) : () => undefined;
  if (!isLoopback(config.host) && config.adminKey === undefined) {
    sandbox.events.emit({
      type: 'warning',
      at: sandbox.clock.now(),
      message: `listening on ${config.host} without an admin key: anyone who can reach this port can change clients and faults (set --admin-key or PATIENTS_SANDBOX_ADMIN_KEY)`,
    });
  }
  // On the dashboard, stderr would land on the alternate screen and vanish with it: report after it closes.
  let seedingFailure: string | undefined;
  sandbox.seeded.catch((error: unknown) => {
    seedingFailure = `patients-sandbox: seeding failed: ${(error as Error)?.stack ?? String(error)}\n`;
    if (dashboard === undefined) process.stderr.write(seedingFailure);
    process.kill(process.pid, 'SIGTERM');
  });
  if (config.scenario !== undefined) startScenarioWhenSeeded(sandbox, config.scenario);
  // Loopback, not the public URL: the demo client runs in this process and must reach it whatever proxy fronts it.
  const simulator = config.simulateClient ? simulateProfileClient(sandbox, running.origin) : undefined;

  const reason = await Promise.race([shutdownSignal, quit]);
  dashboard?.stop();
  if (dashboard !== undefined && seedingFailure !== undefined) process.stderr.write(seedingFailure);
  process.stderr.write(`patients-sandbox: ${reason === 'quit' ? 'stopping' : `${reason} received`}, finishing in-flight requests…\n`);
  await simulator?.stop();
  await running.close();
  await sandbox.persistence?.flush();
  if (config.reportFile !== undefined) await writeReportFile(config.reportFile, sandbox.control.reportCard());
  detach();
  return 0;
}
