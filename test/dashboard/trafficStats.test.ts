import { describe, expect, it } from 'vitest';
import { ActivityLog } from '../../src/dashboard/activityLog.js';
import { TrafficStats } from '../../src/dashboard/trafficStats.js';
import { EventBus } from '../../src/events/eventBus.js';
import { ManualClock } from '../../src/lib/clock.js';

const TENANT = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';

describe('the dashboard stores under load', () => {
  it('take a minute of 1,000 requests/s in well under a second and summarise it in milliseconds', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    const events = new EventBus();
    const stats = new TrafficStats(events, clock);
    const activity = new ActivityLog(events);
    const started = performance.now();
    for (let second = 0; second < 60; second++) {
      for (let i = 0; i < 1000; i++) {
        events.emit({ type: 'request', at: clock.now() + i, requestId: 'r', method: 'GET', route: '/', path: '/', status: i % 100 === 0 ? 503 : 200, ms: 1 + (i % 200), tenantId: TENANT });
      }
      clock.advance(1000);
    }
    const recordMs = performance.now() - started;
    const snapshotStarted = performance.now();
    const snapshot = stats.snapshot();
    const snapshotMs = performance.now() - snapshotStarted;

    expect(recordMs).toBeLessThan(1000);
    expect(snapshotMs).toBeLessThan(50);
    expect(snapshot.requestsPerSecond).toBe(1000);
    const minute = snapshot.byTenant.get(TENANT)!;
    expect(minute.requests).toBe(59_000);
    expect(minute.errors).toBe(590);
    expect(minute.p50Ms).toBeGreaterThan(95);
    expect(minute.p50Ms).toBeLessThan(106);
    expect(activity.view().lines.length).toBeLessThanOrEqual(600);
  });
});

describe('latency percentiles', () => {
  it('are within 5% for sub-millisecond and slow requests alike', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    const events = new EventBus();
    const stats = new TrafficStats(events, clock);
    const emit = (ms: number) => events.emit({ type: 'request', at: clock.now(), requestId: 'r', method: 'GET', route: '/', path: '/', status: 200, ms, tenantId: TENANT });
    for (let i = 0; i < 90; i++) emit(0.12 + (i % 3) * 0.01);
    for (let i = 0; i < 10; i++) emit(2500);
    const minute = stats.snapshot().byTenant.get(TENANT)!;
    expect(minute.p50Ms! / 0.13).toBeGreaterThan(0.95);
    expect(minute.p50Ms! / 0.13).toBeLessThan(1.05);
    expect(minute.p95Ms!).toBe(2500);
  });
});
