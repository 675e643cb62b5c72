import { ConfigError } from '../config/configError.js';
import type { SandboxConfig } from '../config/sandboxConfig.js';
import { showSandboxDashboard } from '../dashboard/showSandboxDashboard.js';
import { listen } from '../http/listen.js';
import { createSandbox } from '../sandbox.js';
import { simulateProfileClient } from '../simulator/simulateProfileClient.js';
import { banner } from './banner.js';
import { attachHeadlessLog } from './headlessLog.js';
import { isLoopback } from './isLoopback.js';
import { untilShutdownSignal } from './untilShutdownSignal.js';

// runCli.ts's EXIT_USAGE, repeated rather than imported: runCli imports this module.
const EXIT_USAGE = 2;
/** Shutdown with --persist edits that could not be written. */
export const EXIT_UNSAVED_EDITS = 3;

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
  // The dashboard's `q` takes the same path as Ctrl+C in a shell: in-flight requests finish first.
  const dashboard = options.interactive ? showSandboxDashboard(sandbox, origin, () => process.kill(process.pid, 'SIGINT')) : undefined;
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
  let exitCode = 0;
  sandbox.seeded.catch((error: unknown) => {
    // A bad data file is a configuration error: its message names the file, line and column.
    exitCode = error instanceof ConfigError ? EXIT_USAGE : 1;
    seedingFailure = `patients-sandbox: ${error instanceof ConfigError ? error.message : `seeding failed: ${(error as Error)?.stack ?? String(error)}`}\n`;
    if (dashboard === undefined) process.stderr.write(seedingFailure);
    process.kill(process.pid, 'SIGTERM');
  });
  // Loopback, not the public URL: the demo client runs in this process and must reach it whatever proxy fronts it.
  const simulator = config.simulateClient ? simulateProfileClient(sandbox, running.origin) : undefined;

  const signal = await shutdownSignal;
  dashboard?.stop();
  if (dashboard !== undefined && seedingFailure !== undefined) process.stderr.write(seedingFailure);
  process.stderr.write(`patients-sandbox: ${signal} received, finishing in-flight requests…\n`);
  await simulator?.stop();
  await running.close();
  const unsaved = (await sandbox.persistence?.flush()) ?? [];
  for (const tenant of unsaved) {
    process.stderr.write(`patients-sandbox: edits of tenant ${tenant.tenantId} (${tenant.name}) are lost: could not write ${tenant.file}: ${tenant.error}\n`);
  }
  detach();
  return unsaved.length > 0 ? EXIT_UNSAVED_EDITS : exitCode;
}
