import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { profileJsonSchema } from '../config/profileJsonSchema.js';
import { SAMPLE_EVERY } from '../config/requestLogMode.js';
import { ENV, resolveConfig, type ConfigOverrides } from '../config/sandboxConfig.js';
import { packageVersion } from '../lib/packageRoot.js';
import { checkCommand } from './checkCommand.js';
import { recordCommand } from './recordCommand.js';
import { userErrorMessage } from './userErrorMessage.js';

/** Exit codes: 0 after a clean shutdown, 1 on a crash, 2 on a mistake the user can fix (flags, profile, data files, port), 3 when --persist edits could not be saved at shutdown. */
export const EXIT_USAGE = 2;

/** Commander reports a mistyped subcommand (with its "did you mean" suggestion) through this method. */
interface ReportsUnknownCommand {
  unknownCommand(): never;
}

export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const version = packageVersion();
  let exitCode = 0;
  const program = new Command()
    .name('patients-sandbox')
    .description('An OAuth 2.0 interop partner with tenant-routed DSTU2/STU3/R4 FHIR servers and fault controls.')
    .version(version, '-v, --version')
    // Options after a subcommand's name are the subcommand's: `seed --profile x` must not set the server's --profile.
    .enablePositionalOptions()
    // ...and a word that is no subcommand ends the options, so `sed --out x` is reported as a mistyped "seed".
    .passThroughOptions()
    // The program itself runs the server, which would otherwise hide commander's `help [command]`.
    .helpCommand(true)
    // Words that are no subcommand reach the action, which reports them as a mistyped subcommand.
    .allowExcessArguments()
    .addOption(new Option('-p, --profile <name|path>', `built-in profile name or path to a profile JSON file [env ${ENV.profile}]`))
    .addOption(new Option('--port <n>', `port to listen on, 0 for any free port [env ${ENV.port} or PORT] (default 8080)`))
    .addOption(new Option('--host <host>', `address to bind [env ${ENV.host}] (default 127.0.0.1)`))
    .addOption(new Option('--seed <n>', `seed for synthetic data and fault randomness [env ${ENV.seed}] (default: the profile's)`))
    .addOption(new Option('--headless', `no dashboard: one JSON log line per request [env ${ENV.headless}]`))
    .addOption(new Option('--log-requests <all|sampled|off>', `headless request lines: every request, every error plus one in ${SAMPLE_EVERY} others, or none [env ${ENV.logRequests}] (default all)`))
    .addOption(new Option('--public-url <url>', `public base URL advertised in metadata [env ${ENV.publicUrl}]`))
    .addOption(new Option('--admin-key <key>', `require this key on /admin [env ${ENV.adminKey}]`))
    .addOption(new Option('--allowed-hosts <hosts>', `comma-separated host names the admin API answers to besides loopback and the --public-url host [env ${ENV.allowedHosts}]`))
    .addOption(new Option('--strict', `strict OAuth: refuse the "grant-type" misspelling [env ${ENV.strict}]`))
    .addOption(new Option('--signing-key <file>', `PKCS#8 PEM EC P-256 key to sign tokens with [env ${ENV.signingKey}]`))
    .addOption(new Option('--data <dir>', `start from tenant files in DIR (<tenant id>/db.json, written by "seed"); tenants without files are generated [env ${ENV.data}]`))
    .addOption(new Option('--persist', `write edits back to the --data files so they survive a restart [env ${ENV.persist}]`))
    .addOption(new Option('--cors <origins|*|off>', `browser origins allowed on the FHIR gateways, token endpoint, JWKS and discovery documents (comma-separated) [env ${ENV.cors}] (default *)`))
    .addOption(new Option('--scenario <file|name>', `start a scenario (built-in: token-storm, bad-day, broken-paging) once every tenant is seeded [env ${ENV.scenario}]`))
    .addOption(new Option('--report <file>', `write the report card there at exit: JUnit XML for .xml, else JSON [env ${ENV.report}]`))
    .addOption(new Option('--record <dir>', `record what upstream tenants serve into DIR (<tenant id>/db.json, ndjson/, metadata.json), to replay with --data DIR [env ${ENV.record}]`))
    .addOption(new Option('--mask', `with --record: mask names, identifiers and contact details in the recordings, deterministically for the seed [env ${ENV.mask}]`))
    .addOption(new Option('--simulate-client', `run a demo client against this sandbox: token, patient search, batch, with retries [env ${ENV.simulateClient}]`))
    .showHelpAfterError('(run patients-sandbox --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .hook('preSubcommand', refuseServerOptionsBefore)
    .action(async (options: ConfigOverrides, command: Command) => {
      if (command.args.length > 0) (command as Command & ReportsUnknownCommand).unknownCommand();
      const config = resolveConfig(options, env);
      // Loaded only to serve: --help, --version and the subcommands start without the HTTP app and the dashboard.
      const { serve } = await import('./serve.js');
      exitCode = await serve(config, { interactive: Boolean(process.stdout.isTTY) && !config.headless, version });
    });

  program
    .command('seed')
    .description('generate every tenant of a profile into files: <out>/<tenant id>/db.json and ndjson/<Type>.ndjson')
    .requiredOption('-o, --out <dir>', 'folder to write into')
    .option('-p, --profile <name|path>', `built-in profile name or path to a profile JSON file [env ${ENV.profile}]`)
    .option('--seed <n>', `seed for synthetic data [env ${ENV.seed}]`)
    .action(async (options: { out: string; profile?: string; seed?: string }) => {
      // `--profile x seed` means the same as `seed --profile x`; the subcommand's own flag wins if both are given.
      const { profile, seed } = { ...(program.opts() as ConfigOverrides), ...options };
      const config = resolveConfig({ profile, seed }, env);
      const { seedCommand } = await import('./seedCommand.js');
      await seedCommand(config, path.resolve(options.out), (line) => process.stderr.write(`${line}\n`));
    });

  program
    .command('profile-schema')
    .description('print the JSON Schema of profile files (profiles/profile.schema.json) for editors')
    .action(() => {
      process.stdout.write(`${JSON.stringify(profileJsonSchema(), null, 2)}\n`);
    });

  checkCommand(program, (code) => {
    exitCode = code;
  }, { env });
  recordCommand(program, (code) => {
    exitCode = code;
  }, env);

  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const message = userErrorMessage(error);
    if (message !== undefined) {
      process.stderr.write(`patients-sandbox: ${message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`patients-sandbox: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

/** A server option typed before a subcommand that has no such option would be silently ignored: refuse it. */
function refuseServerOptionsBefore(program: Command, subcommand: Command): void {
  for (const option of program.options) {
    const key = option.attributeName();
    if (program.getOptionValueSource(key) !== 'cli') continue;
    if (subcommand.options.some((candidate) => candidate.attributeName() === key)) continue;
    program.error(`error: option '${option.long ?? option.flags}' is for starting the server; "${subcommand.name()}" does not take it`, {
      code: 'commander.unknownOption',
      exitCode: EXIT_USAGE,
    });
  }
}
