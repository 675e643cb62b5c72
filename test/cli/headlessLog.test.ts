import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startHeadlessLog } from '../../src/cli/headlessLog.js';
import { EventBus } from '../../src/events/eventBus.js';
import { collectingLog } from './collectingLog.js';

describe('headless log', () => {
  it('logs seeding progress at most once per tenant per second, and always the last one', async () => {
    const { events, lines, log } = collectingLog();
    const progress = (tenantId: string, at: number, done: number) => events.emit({ type: 'seed-progress', at, tenantId, done, total: 100 });
    progress('a', 0, 5);
    progress('a', 400, 10);
    progress('b', 500, 5);
    progress('a', 999, 15);
    progress('a', 1_000, 20);
    progress('a', 1_500, 25);
    progress('a', 1_600, 100);
    progress('b', 1_700, 100);
    await log.close();
    expect(lines.map((line) => [line.tenantId, line.done])).toEqual([
      ['a', 5],
      ['b', 5],
      ['a', 20],
      ['a', 100],
      ['b', 100],
    ]);
    expect(lines.at(-1)).toMatchObject({ event: 'seed-progress', msg: 'tenant ready' });
  });

  it('a readiness probe answered 503 is info; other 5xx are errors and 4xx warnings', async () => {
    const { events, lines, log } = collectingLog();
    const request = (route: string, status: number) =>
      events.emit({ type: 'request', at: 0, requestId: 'r', method: 'GET', route, path: route, status, ms: 1 });
    request('/healthz', 503);
    request('/fhir/:version/metadata', 503);
    request('/fhir/:version/:type', 401);
    request('/healthz', 200);
    await log.close();
    expect(lines.map((line) => [line.route, line.level])).toEqual([
      ['/healthz', 30],
      ['/fhir/:version/metadata', 50],
      ['/fhir/:version/:type', 40],
      ['/healthz', 30],
    ]);
  });
});

describe('headless log batching', () => {
  function countingLog() {
    const events = new EventBus();
    const writes: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        writes.push(chunk.toString());
        done();
      },
    });
    return { events, writes, log: startHeadlessLog(events, sink) };
  }
  const request = (status: number) => ({ type: 'request' as const, at: 0, requestId: 'r', method: 'GET', route: '/fhir/:version/:type/:id', path: '/fhir/stu3/Patient/p', status, ms: 1 });

  it('hands request lines to the destination in batches, not one write per line', async () => {
    const { events, writes, log } = countingLog();
    for (let index = 0; index < 100; index++) events.emit(request(200));
    await log.close();
    const lines = writes.join('').trim().split('\n');
    expect(lines).toHaveLength(100);
    expect(writes.length).toBeLessThan(5);
  });

  it('keeps the order of request lines and the other lines between them', async () => {
    const { events, writes, log } = countingLog();
    events.emit(request(200));
    events.emit({ type: 'warning', at: 0, message: 'between' });
    events.emit(request(404));
    await log.close();
    const lines = writes.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.event)).toEqual(['request', 'warning', 'request']);
    expect(lines.map((line) => line.status ?? line.msg)).toEqual([200, 'between', 404]);
  });
});
