import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/**
 * Preloaded into each benchmarked server (`node --import …/gcMeter.js`): adds up the time V8 spends
 * in young-generation collections and answers the bench's "young-gc-ms" message over IPC, so the
 * same figure is read from the bare server, the Koa app, the composition and the real CLI alike.
 */

export const YOUNG_GC_REQUEST = 'young-gc-ms';

export interface YoungGcReading {
  youngGcMs: number;
  cpuMs: number;
}

let youngGcMs = 0;
const scavenges = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (isMinor(entry)) youngGcMs += entry.duration;
  }
});
scavenges.observe({ entryTypes: ['gc'] });

function isMinor(entry: PerformanceEntry): boolean {
  return ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MINOR;
}

if (process.send !== undefined) {
  process.on('message', (message) => {
    if (message !== YOUNG_GC_REQUEST) return;
    const cpu = process.cpuUsage();
    const reading: YoungGcReading = { youngGcMs, cpuMs: (cpu.user + cpu.system) / 1000 };
    process.send?.(reading);
  });
  // The meter must not keep a server alive that would otherwise exit.
  process.channel?.unref();
}
