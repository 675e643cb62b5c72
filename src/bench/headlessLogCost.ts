import { startHeadlessLog } from '../cli/headlessLog.js';
import { EventBus } from '../events/eventBus.js';
import type { RequestFinishedEvent } from '../events/types.js';

/**
 * `node dist/bench/headlessLogCost.js > /dev/null`: the headless log's CPU per request line (user and
 * system, writes included), as the CLI's own log with `--log-requests all` against `off`, over the
 * same events emitted ten per turn of the event loop as a busy server emits them. Prints to stderr.
 */

const EVENTS = Number(process.env.BENCH_LOG_EVENTS ?? 200_000);
const PER_TURN = 10;

function requestEvent(index: number): RequestFinishedEvent {
  const now = Date.now();
  return {
    type: 'request',
    at: now,
    requestId: `r${index.toString(36)}`,
    method: 'GET',
    route: '/fhir/:version/:type/:id',
    path: '/fhir/stu3/Patient/pat-005000',
    status: 200,
    ms: 0.31,
    startedAt: now,
    tenantId: 'b0000000-0000-4000-8000-000000000001',
    clientId: 'bench',
    host: '127.0.0.1:8080',
    fhirVersion: 'stu3',
    tokenJti: 'c0ffee00-1234-4567-89ab-cdef01234567',
  };
}

async function cpuPerEvent(mode: 'all' | 'off'): Promise<number> {
  const events = new EventBus();
  const log = startHeadlessLog(events, undefined, mode);
  const before = process.cpuUsage();
  let emitted = 0;
  await new Promise<void>((resolve) => {
    const turn = (): void => {
      for (let index = 0; index < PER_TURN; index++) events.emit(requestEvent(emitted++));
      if (emitted < EVENTS) setImmediate(turn);
      else resolve();
    };
    turn();
  });
  await log.close();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / EVENTS;
}

async function main(): Promise<void> {
  const runs: Array<{ all: number; off: number }> = [];
  for (let round = 0; round < 3; round++) runs.push({ off: await cpuPerEvent('off'), all: await cpuPerEvent('all') });
  const costs = runs.map((run) => run.all - run.off).sort((a, b) => a - b);
  process.stderr.write(
    `headless log, ${EVENTS} request events, 3 rounds: ${runs.map((run) => `all ${run.all.toFixed(2)} / off ${run.off.toFixed(2)}`).join('; ')} µs CPU per event; ` +
      `a line costs ${(costs[1] as number).toFixed(2)} µs (median; goal <= 5)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
