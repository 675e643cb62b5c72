import type { SandboxConfig } from '../config/sandboxConfig.js';
import { listen } from '../http/listen.js';
import { createSandbox } from '../sandbox.js';
import { banner } from './banner.js';
import { attachHeadlessLog } from './headlessLog.js';
import { isLoopback } from './isLoopback.js';
import { untilShutdownSignal } from './untilShutdownSignal.js';

export interface ServeOptions {
  /** A terminal is attached and --headless was not given. */
  interactive: boolean;
  version: string;
}

/** Runs the sandbox until SIGINT/SIGTERM; resolves with the process exit code. */
export async function serve(config: SandboxConfig, options: ServeOptions): Promise<number> {
  const sandbox = await createSandbox(config);
  const running = await listen(sandbox.app, config.port, config.host);
  const detach = attachHeadlessLog(sandbox.events);
  // Headless stdout carries only JSON lines; the human-readable banner goes to stderr there.
  (options.interactive ? process.stdout : process.stderr).write(banner(sandbox, config.publicBaseUrl ?? running.origin));
  if (!isLoopback(config.host) && config.adminKey === undefined) {
    sandbox.events.emit({
      type: 'warning',
      at: sandbox.clock.now(),
      message: `listening on ${config.host} without an admin key: anyone who can reach this port can change clients and faults (set --admin-key or PATIENTS_SANDBOX_ADMIN_KEY)`,
    });
  }
  sandbox.seeded.catch((error: unknown) => {
    process.stderr.write(`patients-sandbox: seeding failed: ${(error as Error)?.stack ?? String(error)}\n`);
    process.kill(process.pid, 'SIGTERM');
  });

  const signal = await untilShutdownSignal();
  process.stderr.write(`patients-sandbox: ${signal} received, finishing in-flight requests…\n`);
  await running.close();
  detach();
  return 0;
}
