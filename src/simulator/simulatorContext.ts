import { setTimeout as delay } from 'node:timers/promises';
import type { SimulatorEvent } from '../events/types.js';
import type { Clock } from '../lib/clock.js';
import type { RandomSource } from '../lib/random.js';
import type { RetryPolicy } from './retryDelay.js';

/** Waits `ms` or rejects as soon as `signal` aborts; a test on a ManualClock moves the clock instead. */
export type SimulatorSleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: SimulatorSleep = (ms, signal) => delay(ms, undefined, { signal });

/** What every part of the simulated client shares: how it talks, waits, reports and stops. */
export interface SimulatorContext {
  fetch: typeof globalThis.fetch;
  clock: Clock;
  random: RandomSource;
  retry: RetryPolicy;
  sleep: SimulatorSleep;
  /** How long one request may take before the client abandons it, as a real client's timeout. */
  requestTimeoutMs: number;
  /** Aborted on stop: pending requests and waits end at once. */
  signal: AbortSignal;
  report(action: SimulatorEvent['action'], message: string, tenantId?: string): void;
}

/** Waits `ms`, or rejects with an AbortError as soon as the client stops. */
export function pause(context: SimulatorContext, ms: number): Promise<void> {
  return context.sleep(ms, context.signal);
}

/** The signal for one request: the client stopping, or the request taking longer than its timeout. */
export function requestSignal(context: SimulatorContext): AbortSignal {
  return AbortSignal.any([context.signal, AbortSignal.timeout(context.requestTimeoutMs)]);
}
