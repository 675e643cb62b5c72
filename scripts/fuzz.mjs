#!/usr/bin/env node
// Bounded fuzzer: `npm run fuzz -- --requests 20000 --seed 1`. Starts the built sandbox on 127.0.0.1
// in a child process, sends random and mutated requests over every route family (FHIR, token,
// admin, raw records, broken HTTP framing), and prints what broke: crashes, hangs, 5xx that no
// injected fault explains, FHIR 4xx that are not OperationOutcomes. Stops after --requests.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';

const dist = (name) => new URL(`../dist/bench/${name}`, import.meta.url);
if (!existsSync(dist('fuzz/runFuzz.js'))) {
  process.stderr.write('scripts/fuzz.mjs: run `npm run build` first (or `npm run fuzz`)\n');
  process.exit(2);
}
const { runFuzz } = await import(dist('fuzz/runFuzz.js').href);
const { startSandboxProcess } = await import(dist('sandboxProcess.js').href);
const { robustnessProfile } = await import(dist('robustnessProfile.js').href);
const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
    patients: { type: 'string', default: '50' },
    skip: { type: 'string', default: '' },
  },
});
const sandbox = await startSandboxProcess({ profile: robustnessProfile(Number(values.patients)) });
const rssStart = sandbox.rssBytes();
const started = Date.now();
let report;
try {
  report = await runFuzz({
    origin: sandbox.origin,
    requests: Number(values.requests),
    seed: Number(values.seed),
    concurrency: Number(values.concurrency),
    skipKinds: values.skip === '' ? [] : values.skip.split(','),
    alive: () => sandbox.exitCode === undefined,
  });
} finally {
  const rssEnd = sandbox.rssBytes();
  const exitCode = await sandbox.stop();
  const mib = (bytes) => (bytes === undefined ? 'n/a' : (bytes / 2 ** 20).toFixed(1));
  if (report !== undefined) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n\n`);
    process.stdout.write(
      `fuzz: ${report.requests} requests in ${((Date.now() - started) / 1000).toFixed(0)} s (seed ${values.seed}), ` +
        `${report.crashed ? 'CRASHED' : 'no crash'}, ${report.hangs} hangs, ${report.serverErrors} 5xx without an injected fault, ` +
        `${report.injected} injected, ${report.findings.length} kinds of finding; RSS ${mib(rssStart)} -> ${mib(rssEnd)} MiB; sandbox exit code ${exitCode}\n`,
    );
    process.exitCode = report.crashed || report.findings.length > 0 ? 1 : 0;
  }
}
