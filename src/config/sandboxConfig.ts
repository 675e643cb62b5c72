import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { hostNameOf } from '../lib/hostName.js';
import { ConfigError } from './configError.js';
import { parseCorsOrigins, type CorsOrigins } from './corsOrigins.js';
import { HOST_ENV, PORT_ENV, resolveListenAddress } from './listenAddress.js';
import { loadProfile } from './loadProfile.js';
import type { Profile } from './profileSchema.js';
import { isRequestLogMode, REQUEST_LOG_MODES, type RequestLogMode } from './requestLogMode.js';
import { scenarioOptions } from './scenarioOptions.js';
import type { Scenario } from '../scenarios/scenarioSchema.js';

/** Everything the sandbox needs to start, validated and frozen. Built once by the CLI (or a test). */
export interface SandboxConfig {
  readonly profile: Profile;
  /** Profile file path, for messages and for resolving fixture paths. */
  readonly profileFile: string;
  readonly port: number;
  readonly host: string;
  readonly seed: number;
  readonly headless: boolean;
  /** Which requests headless mode logs a line for (--log-requests); absent means all. */
  readonly logRequests?: RequestLogMode;
  /** Public base URL (e.g. https://sandbox.example.test) used in metadata; otherwise the request's host. */
  readonly publicBaseUrl: string | undefined;
  /** When set, /admin/* requires `Authorization: Bearer <key>` or `X-Admin-Key: <key>`. */
  readonly adminKey: string | undefined;
  /** Host names (any port) the admin API answers to besides loopback names and the public URL's host (--allowed-hosts). */
  readonly allowedHosts?: readonly string[];
  readonly strictOAuth: boolean;
  /** PKCS#8 PEM file with an EC P-256 private key; otherwise a key is generated at start. */
  readonly signingKeyFile: string | undefined;
  /** Folder of tenant files (`<tenant id>/db.json`) to start from instead of generating (--data). */
  readonly dataDir?: string | undefined;
  /** Write edits back to the data folder's files, so they survive a restart (--persist). */
  readonly persist?: boolean;
  /** Run the built-in demo client against this sandbox (--simulate-client); absent means off. */
  readonly simulateClient?: boolean;
  /** Browser origins allowed on the public endpoints (--cors); absent means any origin. */
  readonly cors?: CorsOrigins;
  /** Record what every upstream tenant serves into this folder (--record). */
  readonly recordDir?: string | undefined;
  /** Mask names and identifiers in recordings (--mask). */
  readonly mask?: boolean;
  /** A scenario to start once every tenant is seeded (--scenario FILE|NAME). */
  readonly scenario?: Scenario;
  /** Where to write the report card at exit (--report): JUnit XML for .xml, else JSON. */
  readonly reportFile?: string;
}

/** Values given on the command line; undefined means "not given". */
export interface ConfigOverrides {
  profile?: string | undefined;
  port?: string | number | undefined;
  host?: string | undefined;
  seed?: string | number | undefined;
  headless?: boolean | undefined;
  logRequests?: string | undefined;
  publicUrl?: string | undefined;
  adminKey?: string | undefined;
  allowedHosts?: string | undefined;
  strict?: boolean | undefined;
  signingKey?: string | undefined;
  simulateClient?: boolean | undefined;
  data?: string | undefined;
  persist?: boolean | undefined;
  cors?: string | undefined;
  record?: string | undefined;
  mask?: boolean | undefined;
  scenario?: string | undefined;
  report?: string | undefined;
}

export const ENV = {
  profile: 'PATIENTS_SANDBOX_PROFILE',
  port: PORT_ENV,
  host: HOST_ENV,
  seed: 'PATIENTS_SANDBOX_SEED',
  headless: 'PATIENTS_SANDBOX_HEADLESS',
  logRequests: 'PATIENTS_SANDBOX_LOG_REQUESTS',
  publicUrl: 'PATIENTS_SANDBOX_PUBLIC_URL',
  adminKey: 'PATIENTS_SANDBOX_ADMIN_KEY',
  allowedHosts: 'PATIENTS_SANDBOX_ALLOWED_HOSTS',
  strict: 'PATIENTS_SANDBOX_STRICT',
  signingKey: 'PATIENTS_SANDBOX_SIGNING_KEY',
  simulateClient: 'PATIENTS_SANDBOX_SIMULATE_CLIENT',
  data: 'PATIENTS_SANDBOX_DATA',
  persist: 'PATIENTS_SANDBOX_PERSIST',
  cors: 'PATIENTS_SANDBOX_CORS',
  record: 'PATIENTS_SANDBOX_RECORD',
  mask: 'PATIENTS_SANDBOX_MASK',
  scenario: 'PATIENTS_SANDBOX_SCENARIO',
  report: 'PATIENTS_SANDBOX_REPORT',
} as const;

/** Flags win over environment variables, which win over the profile, which wins over defaults. */
export function resolveConfig(flags: ConfigOverrides, env: Readonly<Record<string, string | undefined>>): SandboxConfig {
  const profileName = flags.profile ?? env[ENV.profile] ?? 'default';
  const { profile, file } = loadProfile(profileName);

  const { port, host } = resolveListenAddress(flags, env);
  const seed = parseSeed(flags.seed, '--seed') ?? parseSeed(env[ENV.seed], ENV.seed) ?? profile.seed;
  const publicBaseUrl = parseUrl(flags.publicUrl ?? env[ENV.publicUrl], flags.publicUrl ? '--public-url' : ENV.publicUrl);

  return Object.freeze({
    profile: deepFreeze(profile),
    profileFile: file,
    port,
    host,
    seed,
    headless: flags.headless ?? parseBoolean(env[ENV.headless], ENV.headless) ?? false,
    logRequests: parseRequestLogMode(flags.logRequests ?? env[ENV.logRequests], flags.logRequests !== undefined ? '--log-requests' : ENV.logRequests),
    publicBaseUrl,
    adminKey: nonEmpty(flags.adminKey ?? env[ENV.adminKey]),
    allowedHosts: parseHostList(flags.allowedHosts ?? env[ENV.allowedHosts], flags.allowedHosts !== undefined ? '--allowed-hosts' : ENV.allowedHosts),
    strictOAuth: flags.strict ?? parseBoolean(env[ENV.strict], ENV.strict) ?? profile.oauth.strict,
    signingKeyFile: nonEmpty(flags.signingKey ?? env[ENV.signingKey]),
    simulateClient: flags.simulateClient ?? parseBoolean(env[ENV.simulateClient], ENV.simulateClient) ?? false,
    cors: flags.cors !== undefined ? parseCorsOrigins(flags.cors, '--cors') : nonEmpty(env[ENV.cors]) !== undefined ? parseCorsOrigins(env[ENV.cors] as string, ENV.cors) : profile.cors,
    ...dataOptions(flags, env),
    ...recordOptions(flags, env),
    ...scenarioOptions({ value: flags.scenario ?? env[ENV.scenario], source: flags.scenario !== undefined ? '--scenario' : ENV.scenario }, flags.report ?? env[ENV.report], profile),
  });
}

function recordOptions(flags: ConfigOverrides, env: Readonly<Record<string, string | undefined>>): { recordDir?: string; mask: boolean } {
  const recordDir = nonEmpty(flags.record ?? env[ENV.record]);
  if (recordDir !== undefined && existsSync(recordDir) && !statSync(recordDir).isDirectory()) {
    throw new ConfigError(flags.record ? '--record' : ENV.record, `${recordDir} is a file; give a folder to record into`);
  }
  const mask = flags.mask ?? parseBoolean(env[ENV.mask], ENV.mask) ?? false;
  return { ...(recordDir !== undefined ? { recordDir: path.resolve(recordDir) } : {}), mask };
}

function dataOptions(flags: ConfigOverrides, env: Readonly<Record<string, string | undefined>>): { dataDir?: string; persist: boolean } {
  const dataDir = nonEmpty(flags.data ?? env[ENV.data]);
  if (dataDir !== undefined && existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    throw new ConfigError(flags.data ? '--data' : ENV.data, `${dataDir} is a file; give the folder that holds <tenant id>/db.json`);
  }
  const persist = flags.persist ?? parseBoolean(env[ENV.persist], ENV.persist) ?? false;
  if (persist && dataDir === undefined) {
    throw new ConfigError(flags.persist ? '--persist' : ENV.persist, 'needs a data folder to write to: add --data DIR');
  }
  return { ...(dataDir !== undefined ? { dataDir: path.resolve(dataDir) } : {}), persist };
}

function parseRequestLogMode(value: string | undefined, source: string): RequestLogMode {
  if (value === undefined || value === '') return 'all';
  if (!isRequestLogMode(value)) throw new ConfigError(source, `"${value}" is not one of ${REQUEST_LOG_MODES.join(', ')}`);
  return value;
}

function parseSeed(value: string | number | undefined, source: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seed = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) {
    throw new ConfigError(source, `"${value}" is not a seed (an integer from 0 to 2147483647)`);
  }
  return seed;
}

function parseBoolean(value: string | undefined, source: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(source, `"${value}" is not a boolean (true/false, 1/0, yes/no)`);
}

function parseUrl(value: string | undefined, source: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(source, `"${value}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(source, 'must be an http(s) URL');
  return url.toString().replace(/\/+$/, '');
}

/** Comma-separated host names, each optionally with a port (ignored: any port is allowed). */
function parseHostList(value: string | undefined, source: string): readonly string[] {
  const entries = (value ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  return entries.map((entry) => {
    const name = hostNameOf(entry);
    if (name === undefined) throw new ConfigError(source, `"${entry}" is not a host name (give names such as patients-sandbox or sandbox.example.test, comma-separated)`);
    return name;
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
