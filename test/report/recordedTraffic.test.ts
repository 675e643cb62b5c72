import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/events/eventBus.js';
import type { RequestFinishedEvent, SandboxEvent } from '../../src/events/types.js';
import { ManualClock } from '../../src/lib/clock.js';
import { gradeTraffic } from '../../src/report/gradeTraffic.js';
import { ObservedTraffic } from '../../src/report/observedTraffic.js';
import { DEFAULT_REPORT_SETTINGS } from '../../src/report/reportSettings.js';

const T0 = Date.UTC(2026, 0, 15, 9);
const STU3 = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';
const R4 = 'A0B1C2D3-0000-4000-8000-00000000000F';
const HOSTS = ['127.0.0.1:8080', 'LOCALHOST:8080', 'sandbox.test'];
const CLIENTS = ['careful', 'careless', 'pager', 'odd "client"'];

/** A small seeded generator (mulberry32): the same table every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A recorded traffic table: several clients fetching and reusing tokens, reading, searching and
 * paging, retrying after 429s and 503s (with and without Retry-After), giving up on hangs, with
 * token refusals, wholesale invalidations, and metadata served on some hosts. Every field the report
 * card reads appears with several values; the ones it does not read (ms, fault, upstreamMs) too.
 */
function recordedTable(count: number, seed: number): SandboxEvent[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const table: SandboxEvent[] = [];
  const jtis = new Map<string, string>();
  let now = T0;
  let served = 0;
  for (let index = 0; index < count; index++) {
    now += Math.floor(next() * 900);
    const clientId = pick(CLIENTS);
    const tenantId = next() < 0.8 ? STU3 : R4;
    const version = tenantId === STU3 ? 'stu3' : 'r4';
    const roll = next();
    const requestId = `r${(++served).toString(36)}`;
    const startedAt = now - Math.floor(next() * 40);
    if (roll < 0.03) {
      table.push({ type: 'request', at: now, requestId, method: 'GET', route: `/fhir/${version}/metadata`, path: `/fhir/${version}/metadata`, status: 200, ms: 1.5, startedAt, host: pick(HOSTS), accept: 'application/fhir+json', fhirVersion: version });
      continue;
    }
    if (roll < 0.05) {
      table.push({ type: 'tokens-changed', at: now, change: pick(['expired-all', 'key-rotated', 'client-revoked', 'lifetime-set'] as const), detail: 'recorded' });
      continue;
    }
    if (roll < 0.15 || !jtis.has(clientId)) {
      const jti = `jti-${index}`;
      jtis.set(clientId, jti);
      table.push({ type: 'token-issued', at: now, clientId, tenantId, jti, expiresAt: now + pick([5_000, 60_000, 3_600_000]) });
      table.push({ type: 'request', at: now, requestId, method: 'POST', route: '/oauth2/token', path: '/oauth2/token', status: 200, ms: 2, startedAt, tenantId, clientId, host: pick(HOSTS), tokenJti: jti });
      continue;
    }
    const read = next() < 0.5;
    const page = Math.floor(next() * 4);
    const request: RequestFinishedEvent = {
      type: 'request',
      at: now,
      requestId,
      method: read ? 'GET' : pick(['GET', 'POST']),
      route: read ? '/fhir/:version/:type/:id' : '/fhir/:version/:type',
      path: read ? `/fhir/${version}/Patient/p-${Math.floor(next() * 30)}` : `/fhir/${version}/Patient`,
      status: pick([200, 200, 200, 200, 304, 400, 401, 404, 429, 500, 503]),
      ms: Math.round(next() * 5000) / 100,
      startedAt,
    };
    if (request.status !== 401) request.tenantId = next() < 0.9 ? tenantId : tenantId.toLowerCase();
    request.clientId = clientId;
    if (next() < 0.1) request.fault = 'flaky reads';
    if (next() < 0.05) request.upstreamMs = 3.25;
    request.host = pick(HOSTS);
    if (next() < 0.7) request.accept = pick(['application/fhir+json', 'application/json', '*/*', 'application/xml']);
    if (!read) request.query = page === 0 ? `name=sm${index % 7}` : `name=sm${index % 7}&_page=${page}`;
    request.fhirVersion = version;
    request.tokenJti = next() < 0.95 ? (jtis.get(clientId) as string) : 'jti-from-elsewhere';
    if (request.status === 401) request.tokenRefused = pick(['expired', 'revoked', 'unknown-key']);
    if (request.status >= 500 || request.status === 429) {
      if (next() < 0.5) request.faultKind = pick(['error', 'latency', 'hang', 'reset']);
      if (next() < 0.6) request.retryAfterSeconds = pick([1, 2, 30]);
    }
    if (request.faultKind === 'hang') request.clientClosed = true;
    if (!read && request.status === 200 && next() < 0.6) request.nextLink = `http://${request.host}/fhir/${version}/Patient?name=sm${index % 7}&_page=${page + 1}`;
    table.push(request);
  }
  return table;
}

function gradeRecorded(table: readonly SandboxEvent[], capacity?: number) {
  const events = new EventBus();
  const clock = new ManualClock(T0);
  const traffic = new ObservedTraffic(events, clock, capacity);
  for (const event of table) events.emit(event);
  return gradeTraffic(traffic.window(), {
    now: T0 + 86_400_000,
    settings: DEFAULT_REPORT_SETTINGS,
    tenantVersions: new Map([
      [STU3, 'stu3'],
      [R4, 'r4'],
    ]),
    publicHost: 'Sandbox.Test',
    scenario: null,
  });
}

describe('the report card of a recorded traffic table', () => {
  it('is the same report, criterion by criterion and evidence by evidence', () => {
    expect(gradeRecorded(recordedTable(4_000, 7))).toMatchSnapshot();
  });

  it('is the same report when the window is full and the oldest requests were dropped', () => {
    const report = gradeRecorded(recordedTable(1_500, 11), 300);
    expect(report.droppedRequests).toBeGreaterThan(0);
    expect(report).toMatchSnapshot();
  });

  it('forgets what came before a reset', () => {
    const events = new EventBus();
    const clock = new ManualClock(T0);
    const traffic = new ObservedTraffic(events, clock);
    for (const event of recordedTable(500, 3)) events.emit(event);
    clock.advance(1_000);
    traffic.reset();
    const after = recordedTable(300, 5);
    for (const event of after) events.emit(event);
    const report = gradeTraffic(traffic.window(), { now: T0 + 86_400_000, settings: DEFAULT_REPORT_SETTINGS, tenantVersions: new Map([[STU3, 'stu3']]), scenario: null });
    expect(report.since).toBe(new Date(T0 + 1_000).toISOString());
    expect(report).toMatchSnapshot();
  });
});
