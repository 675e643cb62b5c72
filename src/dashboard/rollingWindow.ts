import { LatencyHistogram } from './latencyHistogram.js';

export interface WindowSummary {
  requests: number;
  errors: number;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
}

interface Slot {
  second: number;
  requests: number;
  errors: number;
  latency: LatencyHistogram;
}

/**
 * Requests of the last `seconds` seconds in one slot per second: recording is O(1), and a summary
 * merges at most `seconds` slots, so a busy sandbox costs the dashboard no more than an idle one.
 */
export class RollingWindow {
  readonly #slots: Slot[];
  readonly #seconds: number;

  constructor(seconds = 60) {
    this.#seconds = seconds;
    this.#slots = Array.from({ length: seconds }, () => ({ second: -1, requests: 0, errors: 0, latency: new LatencyHistogram() }));
  }

  record(atMs: number, latencyMs: number, isError: boolean): void {
    const second = Math.floor(atMs / 1000);
    const slot = this.#slots[second % this.#seconds]!;
    if (slot.second !== second) {
      slot.second = second;
      slot.requests = 0;
      slot.errors = 0;
      slot.latency.reset();
    }
    slot.requests += 1;
    if (isError) slot.errors += 1;
    slot.latency.record(latencyMs);
  }

  /** The whole window ending at `nowMs`. */
  summarize(nowMs: number): WindowSummary {
    const merged = new LatencyHistogram();
    let requests = 0;
    let errors = 0;
    for (const slot of this.#liveSlots(nowMs, this.#seconds)) {
      requests += slot.requests;
      errors += slot.errors;
      merged.add(slot.latency);
    }
    return { requests, errors, p50Ms: merged.percentile(0.5), p95Ms: merged.percentile(0.95) };
  }

  /** Requests per second over the last `seconds` complete seconds (the current one is still filling). */
  rate(nowMs: number, seconds = 5): number {
    const current = Math.floor(nowMs / 1000);
    let requests = 0;
    for (const slot of this.#liveSlots(nowMs, seconds + 1)) if (slot.second !== current) requests += slot.requests;
    return requests / seconds;
  }

  *#liveSlots(nowMs: number, seconds: number): Iterable<Slot> {
    const current = Math.floor(nowMs / 1000);
    for (const slot of this.#slots) {
      if (slot.second > current - seconds && slot.second <= current) yield slot;
    }
  }
}
