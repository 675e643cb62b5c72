import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { CheckTargetUnreachable, CheckUsageError } from '../check/checkErrors.js';
import type { CheckOptions } from '../check/checkOptions.js';
import { loadClientSigningKey } from '../check/clientSigningKey.js';
import type { CheckReport } from '../check/checkReport.js';
import { formatJunit } from '../check/formatJunit.js';
import { formatText, summaryLine } from '../check/formatText.js';
import { CHECK_VERSIONS, type CheckVersion } from '../check/versionCallSets.js';
import { ProgressLine } from './progressLine.js';

/** Exit codes of `check`: every required check passed, one failed, or the run could not happen. */
export const CHECK_EXIT = { passed: 0, failed: 1, usage: 2 } as const;

export const CHECK_SECRET_ENV = 'PATIENTS_SANDBOX_CHECK_CLIENT_SECRET';

const FORMATS = ['text', 'json', 'junit'] as const;
type ReportFormat = (typeof FORMATS)[number];

interface CheckFlags {
  clientId: string;
  clientSecret?: string;
  privateKey?: string;
  kid?: string;
  tenant: string;
  scope?: string;
  tokenUrl?: string;
  version?: CheckVersion;
  patient?: string;
  search?: string;
  timeout: string;
  insecure?: boolean;
  format: ReportFormat;
  out?: string;
  strict?: boolean;
}

/** Where the command writes, and what it knows of its terminal: the process's own by default. */
export interface CheckIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
}

/** Adds `check <fhir-base-url>` to the program; `setExitCode` receives 0, 1 or 2 when the action ends. */
export function checkCommand(program: Command, setExitCode: (code: number) => void, given: Partial<CheckIo> = {}): Command {
  const io: CheckIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, ...given };
  return program
    .command('check')
    .description("check any partner's FHIR base with the reference client's exact calls and report what breaks (exit 0 all required checks pass, 1 one fails, 2 usage error or unreachable)")
    .argument('<fhir-base-url>', 'the FHIR base, e.g. http://127.0.0.1:8080/fhir/stu3')
    .requiredOption('--client-id <id>', 'the client registration to authenticate as')
    .option('--client-secret <secret>', `its secret (client_secret_basic, then client_secret_post) [env ${CHECK_SECRET_ENV}]`)
    .option('--private-key <file>', "private_key_jwt (SMART Backend Services) instead of a secret: the client's private key, PEM (PKCS#8) or a JWK (Set); RSA signs RS384, EC P-384 ES384")
    .option('--kid <kid>', 'the kid the partner registered the public key under (default: the JWK\'s own kid)')
    .requiredOption('--tenant <id>', 'the tenant ID that goes in the token request scope')
    .option('--scope <scopes>', 'more scopes to ask for after the tenant, e.g. "system/*.read"')
    .option('--token-url <url>', "the token endpoint (default: the one metadata's oauth-uris extension advertises)")
    .addOption(new Option('--version <version>', "FHIR version to speak (default: metadata's fhirVersion)").choices(CHECK_VERSIONS))
    .option('--patient <id>', 'the patient the clinical calls use (default: the first the patient search returns)')
    .option('--search <query>', 'choose the patient by a Patient search instead, e.g. "family=black&given=ruth"')
    .option('--timeout <seconds>', 'longest wait for one answer', '10')
    .option('--insecure', 'accept self-signed TLS certificates (test environments)')
    .addOption(new Option('--format <format>', 'report format').choices(FORMATS).default('text'))
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--strict', 'recommended checks fail the run too')
    .action(async (baseUrl: string, flags: CheckFlags) => {
      setExitCode(await check(baseUrl, flags, io));
    });
}

async function check(baseUrl: string, flags: CheckFlags, io: CheckIo): Promise<number> {
  const progress = io.stderr.isTTY === true && flags.out === undefined ? new ProgressLine(io.stderr, colourFor(io.stderr, io.env)) : undefined;
  let report: CheckReport;
  try {
    // Loaded on use: starting the sandbox should not pay for the checker and its HTTP client.
    const { runCheck } = await import('../check/runCheck.js');
    report = await runCheck({ ...(await checkOptions(baseUrl, flags, io.env)), onResult: (result) => progress?.show(result) });
  } catch (error) {
    progress?.clear();
    if (error instanceof CheckUsageError || error instanceof CheckTargetUnreachable) {
      io.stderr.write(`patients-sandbox check: ${error.message}\n`);
      return CHECK_EXIT.usage;
    }
    throw error;
  }
  progress?.clear();
  const exitCode = report.outcome === 'passed' ? CHECK_EXIT.passed : CHECK_EXIT.failed;
  if (flags.out === undefined) {
    io.stdout.write(format(report, flags.format, colourFor(io.stdout, io.env)));
    return exitCode;
  }
  await writeFile(flags.out, format(report, flags.format, false));
  io.stderr.write(`${summaryLine(report)}\nreport (${flags.format}) written to ${flags.out}\n`);
  return exitCode;
}

async function checkOptions(baseUrl: string, flags: CheckFlags, env: CheckIo['env']): Promise<CheckOptions> {
  const credentials = await clientCredentials(flags, env);
  const timeoutSeconds = Number(flags.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new CheckUsageError('--timeout', `must be a positive number of seconds, got ${JSON.stringify(flags.timeout)}`);
  return {
    baseUrl,
    clientId: flags.clientId,
    ...credentials,
    tenant: flags.tenant,
    scope: flags.scope,
    tokenUrl: flags.tokenUrl,
    version: flags.version,
    patientId: flags.patient,
    search: flags.search,
    timeoutMs: timeoutSeconds * 1000,
    insecure: flags.insecure === true,
    strict: flags.strict === true,
  };
}

/** The client's secret, or (private_key_jwt) its key read from --private-key: one of the two. */
async function clientCredentials(flags: CheckFlags, env: CheckIo['env']): Promise<Pick<CheckOptions, 'clientSecret' | 'clientKey'>> {
  if (flags.privateKey === undefined) {
    if (flags.kid !== undefined) throw new CheckUsageError('--kid', 'names the key of --private-key; give that file too');
    const clientSecret = flags.clientSecret ?? env[CHECK_SECRET_ENV];
    if (clientSecret === undefined || clientSecret === '') throw new CheckUsageError('--client-secret', `is required (or set ${CHECK_SECRET_ENV}, or use --private-key)`);
    return { clientSecret };
  }
  if (flags.clientSecret !== undefined) throw new CheckUsageError('--private-key', 'authenticate one way: with --client-secret or with --private-key, not both');
  return { clientKey: await loadClientSigningKey(flags.privateKey, flags.kid) };
}

function format(report: CheckReport, reportFormat: ReportFormat, colour: boolean): string {
  switch (reportFormat) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'junit':
      return formatJunit(report);
    case 'text':
      return formatText(report, { colour });
  }
}

/** Colours only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org). */
function colourFor(stream: { isTTY?: boolean }, env: CheckIo['env']): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}
