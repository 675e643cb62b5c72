import { setTimeout as delay } from 'node:timers/promises';
import type { SimulatorEvent } from '../events/types.js';
import type { Clock } from '../lib/clock.js';
import type { RandomSource } from '../lib/random.js';
import type { RetryPolicy } from './retryDelay.js';

/** What every part of the simulated client shares: how it talks, waits, reports and stops. */
export interface SimulatorContext {
  fetch: typeof globalThis.fetch;
  clock: Clock;
  random: RandomSource;
  retry: RetryPolicy;
  /** Aborted on stop: pending requests and waits end at once. */
  signal: AbortSignal;
  report(action: SimulatorEvent['action'], message: string, tenantId?: string): void;
}

/** Waits `ms`, or rejects with an AbortError as soon as the client stops. */
export function pause(context: SimulatorContext, ms: number): Promise<void> {
  return delay(ms, undefined, { signal: context.signal });
}
