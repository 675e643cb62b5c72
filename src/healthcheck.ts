import { resolveListenAddress } from './config/listenAddress.js';
import { probeHost } from './lib/probeHost.js';

/**
 * The container's HEALTHCHECK: exit 0 when /healthz answers 200 where the server listens, else 1. It
 * finds the port and host exactly as the CLI does (one function for both), from the environment.
 * A script rather than an inline `node -e` so no shell quoting can break it.
 */
try {
  const { port, host } = resolveListenAddress({}, process.env);
  const response = await fetch(`http://${probeHost(host)}:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
  process.exitCode = response.ok ? 0 : 1;
} catch {
  process.exitCode = 1;
}
