#!/usr/bin/env node
// Memory soak (outside `npm test`): `npm run soak -- --minutes 10`. Starts the built sandbox on
// 127.0.0.1 in a child process, churns create/update/delete on both FHIR versions while switching
// fault presets, stops by itself after --minutes, and prints RSS start/end and the slope after warm-up.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';

const dist = new URL('../dist/bench/soak.js', import.meta.url);
if (!existsSync(dist)) {
  process.stderr.write('scripts/soak.mjs: run `npm run build` first (or `npm run soak`)\n');
  process.exit(2);
}
const { runSoak, DEFAULT_SOAK_OPTIONS } = await import(dist.href);
const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    'warm-up-seconds': { type: 'string' },
    rate: { type: 'string' },
    concurrency: { type: 'string' },
    patients: { type: 'string' },
    'preset-seconds': { type: 'string' },
    persist: { type: 'string' },
  },
});
const number = (value, fallback) => (value === undefined ? fallback : Number(value));
const options = {
  ...DEFAULT_SOAK_OPTIONS,
  durationMs: number(values.minutes, DEFAULT_SOAK_OPTIONS.durationMs / 60_000) * 60_000,
  warmUpMs: number(values['warm-up-seconds'], DEFAULT_SOAK_OPTIONS.warmUpMs / 1000) * 1000,
  rate: number(values.rate, DEFAULT_SOAK_OPTIONS.rate),
  concurrency: number(values.concurrency, DEFAULT_SOAK_OPTIONS.concurrency),
  patientsPerTenant: number(values.patients, DEFAULT_SOAK_OPTIONS.patientsPerTenant),
  presetEveryMs: number(values['preset-seconds'], DEFAULT_SOAK_OPTIONS.presetEveryMs / 1000) * 1000,
  // --persist DIR: the sandbox writes its edits to DIR (an empty folder), as `--data DIR --persist` does.
  sandboxArgs: values.persist === undefined ? [] : ['--data', values.persist, '--persist'],
  log: (line) => process.stdout.write(`${line}\n`),
};
const report = await runSoak(options);
process.stdout.write(`\n${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(
  `\nsoak: ${report.requests} requests in ${(report.durationMs / 60_000).toFixed(1)} min, ${report.unexplained5xx} 5xx without an injected fault, ` +
    `${report.crashed ? 'CRASHED' : 'no crash'}; RSS after warm-up ${report.rssStartMiB?.toFixed(1)} -> ${report.rssEndMiB?.toFixed(1)} MiB, ` +
    `slope ${report.slopeMiBPerMinute.toFixed(2)} MiB/min; V8 heap after full GCs ${report.heapStartMiB?.toFixed(1)} -> ${report.heapEndMiB?.toFixed(1)} MiB, ` +
    `slope ${report.heapSlopeMiBPerMinute.toFixed(2)} MiB/min\n`,
);
process.exitCode = report.crashed || report.unexplained5xx > 0 ? 1 : 0;
