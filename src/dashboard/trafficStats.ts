import type { EventBus } from '../events/eventBus.js';
import type { RequestFinishedEvent } from '../events/types.js';
import type { Clock } from '../lib/clock.js';
import { RollingWindow, type WindowSummary } from './rollingWindow.js';

export interface TrafficSnapshot {
  requestsPerSecond: number;
  totalRequests: number;
  /** Last minute per tenant ID (lower case); tenants without traffic are absent. */
  byTenant: ReadonlyMap<string, WindowSummary>;
  /** 401s since start that no tenant row counts: no token, or one that could not be verified. */
  unauthorizedWithoutTenant: number;
}

/**
 * Request numbers for the dashboard, fed by the event bus. Events only bump counters here; the
 * dashboard reads a snapshot on its own refresh tick, so a thousand requests a second cause a handful
 * of renders, not a thousand.
 */
export class TrafficStats {
  readonly #clock: Clock;
  readonly #all = new RollingWindow(60);
  readonly #byTenant = new Map<string, RollingWindow>();
  #total = 0;
  #unauthorizedWithoutTenant = 0;
  readonly #unsubscribe: () => void;

  constructor(events: EventBus, clock: Clock) {
    this.#clock = clock;
    this.#unsubscribe = events.subscribe((event) => {
      if (event.type === 'request') this.#record(event);
    });
  }

  snapshot(): TrafficSnapshot {
    const now = this.#clock.now();
    const byTenant = new Map<string, WindowSummary>();
    for (const [tenantId, window] of this.#byTenant) byTenant.set(tenantId, window.summarize(now));
    return { requestsPerSecond: this.#all.rate(now), totalRequests: this.#total, byTenant, unauthorizedWithoutTenant: this.#unauthorizedWithoutTenant };
  }

  dispose(): void {
    this.#unsubscribe();
  }

  #record(event: RequestFinishedEvent): void {
    const isError = event.status >= 400;
    this.#total += 1;
    this.#all.record(event.at, event.ms, isError);
    if (event.tenantId === undefined) {
      if (event.status === 401) this.#unauthorizedWithoutTenant += 1;
      return;
    }
    const tenantId = event.tenantId.toLowerCase();
    let window = this.#byTenant.get(tenantId);
    if (window === undefined) {
      window = new RollingWindow(60);
      this.#byTenant.set(tenantId, window);
    }
    window.record(event.at, event.ms, isError);
  }
}
