import { ConfigError } from './configError.js';

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';

export const PORT_ENV = 'PATIENTS_SANDBOX_PORT';
export const HOST_ENV = 'PATIENTS_SANDBOX_HOST';
/** The generic variable that platforms (containers, PaaS) set; the sandbox's own variable wins over it. */
export const GENERIC_PORT_ENV = 'PORT';

export interface ListenAddress {
  readonly port: number;
  readonly host: string;
}

/**
 * Where the server listens: `--port`, then PATIENTS_SANDBOX_PORT, then PORT, then 8080; `--host`, then
 * PATIENTS_SANDBOX_HOST, then loopback. The CLI and the container's health check both call this, so
 * they cannot disagree about the port.
 */
export function resolveListenAddress(
  flags: { port?: string | number | undefined; host?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): ListenAddress {
  const port =
    parsePort(flags.port, '--port') ?? parsePort(env[PORT_ENV], PORT_ENV) ?? parsePort(env[GENERIC_PORT_ENV], GENERIC_PORT_ENV) ?? DEFAULT_PORT;
  const host = nonEmpty(flags.host) ?? nonEmpty(env[HOST_ENV]) ?? DEFAULT_HOST;
  return { port, host };
}

function parsePort(value: string | number | undefined, source: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError(source, `"${value}" is not a port number (0-65535)`);
  }
  return port;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
