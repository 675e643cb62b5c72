import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/configError.js';
import { profileJsonSchema } from '../config/profileJsonSchema.js';
import { ENV, resolveConfig, type ConfigOverrides } from '../config/sandboxConfig.js';
import { packageVersion } from '../lib/packageRoot.js';
import { seedCommand } from './seedCommand.js';
import { serve } from './serve.js';

/** Exit codes: 0 after a clean shutdown, 1 on a crash, 2 on bad flags or a bad profile. */
export const EXIT_USAGE = 2;

export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const version = packageVersion();
  let exitCode = 0;
  const program = new Command()
    .name('patients-sandbox')
    .description('An OAuth 2.0 interop partner with tenant-routed DSTU2/STU3 FHIR servers and fault controls.')
    .version(version, '-v, --version')
    .addOption(new Option('-p, --profile <name|path>', `built-in profile name or path to a profile JSON file [env ${ENV.profile}]`))
    .addOption(new Option('--port <n>', `port to listen on, 0 for any free port [env PORT or ${ENV.port}] (default 8080)`))
    .addOption(new Option('--host <host>', `address to bind [env ${ENV.host}] (default 127.0.0.1)`))
    .addOption(new Option('--seed <n>', `seed for synthetic data and fault randomness [env ${ENV.seed}] (default: the profile's)`))
    .addOption(new Option('--headless', `no dashboard: one JSON log line per request [env ${ENV.headless}]`))
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
    .addOption(new Option('--simulate-client', `run a demo client against this sandbox: token, patient search, batch, with retries [env ${ENV.simulateClient}]`))
    .showHelpAfterError('(run patients-sandbox --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .action(async (options: ConfigOverrides) => {
      const config = resolveConfig(options, env);
      exitCode = await serve(config, { interactive: Boolean(process.stdout.isTTY) && !config.headless, version });
    });

  program
    .command('seed')
    .description('generate every tenant of a profile into files: <out>/<tenant id>/db.json and ndjson/<Type>.ndjson')
    .requiredOption('-o, --out <dir>', 'folder to write into')
    .option('-p, --profile <name|path>', `built-in profile name or path to a profile JSON file [env ${ENV.profile}]`)
    .option('--seed <n>', `seed for synthetic data [env ${ENV.seed}]`)
    .action(async (options: { out: string; profile?: string; seed?: string }) => {
      const config = resolveConfig({ profile: options.profile, seed: options.seed }, env);
      await seedCommand(config, path.resolve(options.out), (line) => process.stderr.write(`${line}\n`));
    });

  program
    .command('profile-schema')
    .description('print the JSON Schema of profile files (profiles/profile.schema.json) for editors')
    .action(() => {
      process.stdout.write(`${JSON.stringify(profileJsonSchema(), null, 2)}\n`);
    });

  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`patients-sandbox: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`patients-sandbox: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
