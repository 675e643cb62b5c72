import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchProfile } from './benchServer.js';
import { residentBytes, startBenchProcess, stopBenchProcess } from './benchProcess.js';
import { mainThreadCpuMs, processCpuMs } from './procCpu.js';

/**
 * Time to ready and RSS of the real CLI with one STU3 tenant per size, printed as `npm run bench`
 * prints them, without the rest of the bench: `node dist/bench/seedReady.js 10000 100000`.
 * `--cli PATH` starts another build's CLI instead (same-round A/B: `--cli /tmp/base/dist/cli.js`).
 */
const args = process.argv.slice(2);
const cliFlag = args.indexOf('--cli');
const otherCli = cliFlag < 0 ? undefined : args.splice(cliFlag, 2)[1];
const sizes = args.map(Number);
if (sizes.length === 0 || sizes.some((size) => !Number.isInteger(size) || size < 1) || (cliFlag >= 0 && otherCli === undefined)) {
  console.error('usage: node dist/bench/seedReady.js [--cli PATH] PATIENTS…');
  process.exit(2);
}
/**
 * CPU seconds (user + system) of the whole process (finished worker threads included) and of its
 * main thread alone, from /proc: on a machine shared with other work these hold still where the
 * wall clock does not, and on an idle one ready time is about max(main thread, all threads / cores).
 */
function cpuSeconds(pid: number | undefined): { process: number; mainThread: number } | undefined {
  const whole = processCpuMs(pid);
  const mainThread = mainThreadCpuMs(pid);
  return whole === undefined || mainThread === undefined ? undefined : { process: whole / 1000, mainThread: mainThread / 1000 };
}

const CLI = otherCli === undefined ? path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'cli.js') : path.resolve(otherCli);
const workDir = mkdtempSync(path.join(tmpdir(), 'seed-ready-'));
try {
  for (const size of sizes) {
    const profileFile = path.join(workDir, `ready-${size}.json`);
    writeFileSync(profileFile, JSON.stringify(benchProfile(size)));
    const cli = await startBenchProcess(CLI, ['--headless', '--host', '127.0.0.1', '--port', '0', '--profile', profileFile]);
    const rss = residentBytes(cli.child.pid);
    const cpu = cpuSeconds(cli.child.pid);
    await stopBenchProcess(cli.child);
    console.log(
      `CLI with ${size.toLocaleString('en-US')} patients: ready in ${(cli.readyMs / 1000).toFixed(1)} s, ` +
        `RSS ${rss === undefined ? '?' : `${(rss / 1024 / 1024).toFixed(0)} MB = ${(rss / size / 1024).toFixed(1)} KB per patient`}, ` +
        `CPU ${cpu === undefined ? '?' : `${cpu.process.toFixed(1)} s in all threads, ${cpu.mainThread.toFixed(1)} s on the main thread`}`,
    );
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
