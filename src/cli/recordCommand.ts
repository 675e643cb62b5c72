import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { ConfigError } from '../config/configError.js';
import { describeIssues } from '../config/loadProfile.js';
import { FhirError } from '../fhir/errors.js';
import { FHIR_VERSIONS, type FhirVersion } from '../fhir/types.js';
import { systemClock } from '../lib/clock.js';
import { upstreamAuthSchema, type UpstreamAuth } from '../upstream/upstreamSettings.js';

/** Exit codes of `record`: every call answered 2xx, some did not (what they answered is still recorded), or the run could not happen. */
export const RECORD_EXIT = { complete: 0, incomplete: 1 } as const;

// Credentials kept out of shell history and process lists: the environment may hold what --auth would.
export const RECORD_AUTH_ENV = 'PATIENTS_SANDBOX_RECORD_AUTH';

interface RecordFlags {
  patients: string;
  out: string;
  tenant: string;
  fhirVersion: FhirVersion;
  auth?: string;
  mask?: boolean;
  seed: string;
  timeout: string;
}

/** Adds `record <upstream-base>` to the program; `setExitCode` receives the exit code when the action ends. */
export function recordCommand(program: Command, setExitCode: (code: number) => void, env: Readonly<Record<string, string | undefined>>): Command {
  return program
    .command('record')
    .description("pull given patients, and what the contract client's searches return for them, from a FHIR server into <out>/<tenant>/ (db.json, ndjson/, metadata.json) to replay with --data")
    .argument('<upstream-base>', 'the FHIR base, e.g. https://hapi.example.test/fhir')
    .requiredOption('--patients <ids>', 'comma-separated ids of the patients to pull')
    .requiredOption('-o, --out <dir>', 'folder to record into')
    .requiredOption('--tenant <id>', "the tenant id the recording is for: the profile tenant that replays it (the folder's name)")
    .addOption(new Option('--fhir-version <version>', "the FHIR version the server speaks (checked against its metadata)").choices(FHIR_VERSIONS).makeOptionMandatory())
    .option('--auth <json|@file>', `credentials for the server, as a profile's upstream "auth": {"type": "bearer", "token": "…"}, or @file holding it [env ${RECORD_AUTH_ENV}] (default: none)`)
    .option('--mask', 'mask names, identifiers and contact details in the recording, deterministically for --seed')
    .option('--seed <n>', 'seed for --mask', '1')
    .option('--timeout <seconds>', 'longest wait for one answer', '30')
    .action(async (baseUrl: string, flags: RecordFlags) => {
      setExitCode(await record(baseUrl, flags, env));
    });
}

async function record(baseUrl: string, flags: RecordFlags, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const patientIds = flags.patients.split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (patientIds.length === 0) throw new ConfigError('--patients', 'give at least one patient id');
  if (!/^https?:\/\/[^/]/.test(baseUrl)) throw new ConfigError('<upstream-base>', `${baseUrl} is not an http(s) URL`);
  const seed = integerFlag(flags.seed, '--seed');
  const timeoutMs = integerFlag(flags.timeout, '--timeout') * 1000;
  if (timeoutMs === 0) throw new ConfigError('--timeout', 'give at least 1 second');
  const auth = parseAuth(flags.auth ?? env[RECORD_AUTH_ENV]);
  // Loaded on use: the server's start does not pay for what only this command needs.
  const { Recording } = await import('../upstream/recording/recording.js');
  const { UpstreamTenant } = await import('../upstream/upstreamTenant.js');
  const { UpstreamError } = await import('../upstream/upstreamError.js');
  const { pullPatients } = await import('../upstream/recording/pullPatients.js');
  const base = baseUrl.replace(/\/+$/, '');
  const tenantId = flags.tenant.toLowerCase();
  const recording = new Recording({
    dir: path.resolve(flags.out),
    tenantId,
    fhirVersion: flags.fhirVersion,
    upstreamBase: base,
    maskSeed: flags.mask === true ? seed : undefined,
    clock: systemClock,
    warn: (message) => process.stderr.write(`patients-sandbox record: ${message}\n`),
  });
  const upstream = new UpstreamTenant({ tenantId, name: base, fhirVersion: flags.fhirVersion, readOnly: true, connection: { baseUrl: base, auth, timeoutMs }, clock: systemClock, recording });
  try {
    await upstream.connect();
    const calls = await pullPatients(upstream, flags.fhirVersion, patientIds, (call) => process.stderr.write(`GET ${call.path} → ${call.status}\n`));
    await recording.flush();
    const counts = Object.entries(recording.counts()).map(([type, count]) => `${count} ${type}`).join(', ');
    process.stderr.write(`recorded ${counts || 'nothing'} into ${path.dirname(recording.dbJsonFile)}${recording.masked ? ' (masked)' : ''}\n`);
    return calls.every((call) => call.status < 300) ? RECORD_EXIT.complete : RECORD_EXIT.incomplete;
  } catch (error) {
    // The server down, too slow, of another version, or refusing the credentials: nothing to record.
    if (error instanceof UpstreamError || error instanceof FhirError) throw new ConfigError('upstream', error.message);
    throw error;
  } finally {
    await upstream.close();
  }
}

function parseAuth(text: string | undefined): UpstreamAuth {
  if (text === undefined || text.trim() === '') return { type: 'none' };
  const source = text.startsWith('@') ? text.slice(1) : '--auth';
  let value: unknown;
  try {
    value = JSON.parse(text.startsWith('@') ? readFileSync(source, 'utf8') : text);
  } catch (error) {
    throw new ConfigError(source, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = upstreamAuthSchema.safeParse(value);
  if (!parsed.success) throw new ConfigError(source, describeIssues(parsed.error.issues));
  return parsed.data;
}

function integerFlag(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(flag, `${text} is not a whole number`);
  return value;
}
