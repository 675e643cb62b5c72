import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readMeter, stopBenchProcess } from './benchProcess.js';
import { forkBenchServer } from './benchServers.js';
import { loadTest, type LoadRequest } from './loadTest.js';
import { median } from './medians.js';

/**
 * The idle fault layer's cost: the composition's read through the app with the fault layer, against
 * the same read, same process and data, through the app built without it. The two are measured in
 * pairs back to back, and the pair's order swaps every round: whichever runs first after the process
 * sat idle (while other servers were measured) pays for waking it up (a young generation shrunk
 * while idle, caches gone cold), so a fixed order charged that to one side. The figure is the ratio
 * of the medians of server CPU per request, which a busy machine moves far less than the rate.
 */
export interface FaultLayerCost {
  /** CPU µs per request without the layer over CPU µs per request with it: 1 means free. */
  cpuRatio: number;
  /** Requests per second with the layer over without, the medians of each. */
  rateRatio: number;
  withLayer: { cpuUs: number; rate: number };
  withoutLayer: { cpuUs: number; rate: number };
  /** Each side's median CPU µs per request when it ran first in its pair, and when second. */
  firstInPairCpuUs: number;
  secondInPairCpuUs: number;
}

interface Sample {
  cpuUs: number;
  rate: number;
}

export async function measureFaultLayerCost(
  server: ChildProcess,
  withLayer: LoadRequest,
  withoutLayer: LoadRequest,
  options: { pairs: number; seconds: number; connections: number; idleSecondsBeforePair?: number },
): Promise<FaultLayerCost> {
  const samples = { with: [] as Sample[], without: [] as Sample[], first: [] as number[], second: [] as number[] };
  const idleMs = (options.idleSecondsBeforePair ?? 0) * 1000;
  for (let pair = 0; pair < options.pairs; pair++) {
    // In the full bench the process waits while the other scenarios run; this stands in for that.
    if (idleMs > 0) await new Promise((resolve) => setTimeout(resolve, idleMs));
    const order = pair % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const);
    for (const [position, side] of order.entries()) {
      const sample = await measureOne(server, side === 'with' ? withLayer : withoutLayer, options);
      samples[side].push(sample);
      (position === 0 ? samples.first : samples.second).push(sample.cpuUs);
    }
  }
  const summary = (list: Sample[]) => ({ cpuUs: median(list.map((sample) => sample.cpuUs)), rate: median(list.map((sample) => sample.rate)) });
  const withSummary = summary(samples.with);
  const withoutSummary = summary(samples.without);
  return {
    cpuRatio: withoutSummary.cpuUs / withSummary.cpuUs,
    rateRatio: withSummary.rate / withoutSummary.rate,
    withLayer: withSummary,
    withoutLayer: withoutSummary,
    firstInPairCpuUs: median(samples.first),
    secondInPairCpuUs: median(samples.second),
  };
}

async function measureOne(server: ChildProcess, request: LoadRequest, options: { seconds: number; connections: number }): Promise<Sample> {
  const before = await readMeter(server);
  const result = await loadTest(request, options);
  const after = await readMeter(server);
  const requests = Math.max(1, result.requestsPerSecond * options.seconds);
  if (result.failures > 0) throw new Error(`${result.failures} failed requests to ${request.url}`);
  return { cpuUs: ((after.cpuMs - before.cpuMs) * 1000) / requests, rate: result.requestsPerSecond };
}

export function describeFaultLayerCost(cost: FaultLayerCost): string {
  return (
    `idle fault layer: server CPU per read ${cost.withLayer.cpuUs.toFixed(1)} µs with the layer, ${cost.withoutLayer.cpuUs.toFixed(1)} µs without: ` +
    `${cost.cpuRatio.toFixed(3)} (goal >= 0.97); rate ratio ${cost.rateRatio.toFixed(3)}; ` +
    `first of a pair ${cost.firstInPairCpuUs.toFixed(1)} µs, second ${cost.secondInPairCpuUs.toFixed(1)} µs`
  );
}

/**
 * `node dist/bench/faultLayerCost.js`: the composition alone, pairs alternated. Knobs: BENCH_PATIENTS
 * (default 10000), BENCH_PAIRS (default 8), BENCH_SECONDS per run (default 2), BENCH_IDLE_SECONDS (the
 * server left idle before each pair, as the full bench leaves it while other scenarios run; default 0).
 */
async function main(): Promise<void> {
  const patients = Number(process.env.BENCH_PATIENTS ?? 10_000);
  const pairs = Number(process.env.BENCH_PAIRS ?? 8);
  const seconds = Number(process.env.BENCH_SECONDS ?? 2);
  const idleSecondsBeforePair = Number(process.env.BENCH_IDLE_SECONDS ?? 0);
  console.log(`idle fault layer: ${patients} patients, ${pairs} pairs of ${seconds}s, order swapped every pair, ${idleSecondsBeforePair}s idle before each (node ${process.version})`);
  const children: ChildProcess[] = [];
  try {
    const { child, target } = await forkBenchServer(['sandbox', String(patients)], children);
    const readPath = `/fhir/stu3/Patient/${target.patientId}`;
    const headers = { Authorization: `Bearer ${target.token}` };
    const cost = await measureFaultLayerCost(child, { url: `${target.origin}${readPath}`, headers }, { url: `${target.originWithoutFaults}${readPath}`, headers }, { pairs, seconds, connections: 10, idleSecondsBeforePair });
    console.log(describeFaultLayerCost(cost));
  } finally {
    for (const child of children) await stopBenchProcess(child);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
