/**
 * The container's HEALTHCHECK: exit 0 when /healthz answers 200 on this machine's PORT, else 1.
 * A script rather than an inline `node -e` so no shell quoting can break it.
 */
const port = process.env.PORT ?? process.env.PATIENTS_SANDBOX_PORT ?? '8080';

try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
  process.exitCode = response.ok ? 0 : 1;
} catch {
  process.exitCode = 1;
}
