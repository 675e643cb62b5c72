import { request, type IncomingMessage } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../../src/http/listen.js';
import { startTestSandbox } from '../support/testSandbox.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close(500)));
});

async function serve(overrides: Parameters<typeof startTestSandbox>[0] = {}) {
  const started = await startTestSandbox(overrides);
  const server = await listen(started.sandbox.app, 0, '127.0.0.1');
  servers.push(server);
  return { ...started, server };
}

function openStream(origin: string, path: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${origin}${path}`, { headers, agent: false }, resolve);
    outgoing.once('error', reject);
    outgoing.end();
  });
}

async function readAll(response: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of response) text += String(chunk);
  return text;
}

describe('the admin event stream', () => {
  it('takes the admin key in a header only: ?key= would end up in proxy and shell logs', async () => {
    const { server } = await serve({ adminKey: 'stream-key' });
    const inQuery = await openStream(server.origin, '/admin/events?key=stream-key');
    expect(inQuery.statusCode).toBe(401);
    const refusal = JSON.parse(await readAll(inQuery));
    expect(refusal.error).toBe('unauthorized');
    expect(refusal.message).toContain('not in the URL');

    for (const header of [{ 'X-Admin-Key': 'stream-key' }, { Authorization: 'Bearer stream-key' }] as Array<Record<string, string>>) {
      const accepted = await openStream(server.origin, '/admin/events', header);
      expect(accepted.statusCode).toBe(200);
      expect(accepted.headers['content-type']).toBe('text/event-stream');
      accepted.destroy();
    }
  });

  it('a reader that stops reading gets a bounded buffer: later events are dropped and counted in a "dropped" notice', async () => {
    const { sandbox, server } = await serve();
    const stalled = await openStream(server.origin, '/admin/events');
    expect(stalled.statusCode).toBe(200);
    stalled.pause();

    const filler = 'x'.repeat(1024);
    const batches = 20;
    const perBatch = 2_000;
    for (let batch = 0; batch < batches; batch++) {
      for (let index = 0; index < perBatch; index++) sandbox.events.emit({ type: 'warning', at: 0, message: `${batch}-${index} ${filler}` });
      await nextTurn();
    }
    let emitted = batches * perBatch;

    // Read it all now; an end marker after the stall shows where the test stops.
    let text = '';
    stalled.on('data', (chunk) => (text += String(chunk)));
    stalled.resume();
    const deadline = Date.now() + 10_000;
    while (!text.includes('"message":"end of test"') && Date.now() < deadline) {
      sandbox.events.emit({ type: 'warning', at: 0, message: 'end of test' });
      emitted++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    stalled.destroy();

    const delivered = text.split('\n').filter((line) => line.startsWith('data: {"type":"warning"')).length;
    const notices = [...text.matchAll(/^event: dropped\ndata: (.*)$/gm)].map((match) => JSON.parse(match[1] as string) as { dropped: number; message: string });
    const dropped = notices.reduce((sum, notice) => sum + notice.dropped, 0);
    expect(notices.length).toBeGreaterThan(0);
    expect(notices[0]?.message).toMatch(/^dropped \d+ events/);
    expect(delivered + dropped).toBe(emitted);
    // 41 MB were emitted; what was held for this reader stayed near the per-subscriber bound (plus socket buffers).
    expect(Buffer.byteLength(text)).toBeLessThan(12 * 1024 * 1024);
  });
});
