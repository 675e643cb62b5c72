import { Agent, request } from 'node:http';
import type { LoadRequest } from './loadTest.js';

export interface LatencyResult {
  p50Us: number;
  p95Us: number;
  samples: number;
}

/** One connection, one request at a time, timed with hrtime: the latency a single client sees. */
export async function sequentialLatency(target: LoadRequest, samples: number, warmup = 200): Promise<LatencyResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const timings: number[] = [];
  try {
    for (let i = 0; i < warmup + samples; i++) {
      const started = process.hrtime.bigint();
      await send(target, agent);
      if (i >= warmup) timings.push(Number(process.hrtime.bigint() - started) / 1000);
    }
  } finally {
    agent.destroy();
  }
  timings.sort((a, b) => a - b);
  return { p50Us: percentile(timings, 0.5), p95Us: percentile(timings, 0.95), samples };
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

function send(target: LoadRequest, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(target.url, { method: target.method ?? 'GET', headers: target.headers ?? {}, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(target.body);
  });
}
