import { Writable } from 'node:stream';
import { startHeadlessLog } from '../../src/cli/headlessLog.js';
import type { RequestLogMode } from '../../src/config/requestLogMode.js';
import { EventBus } from '../../src/events/eventBus.js';

/** A headless log on its own event bus, writing into memory: every line it writes, parsed. */
export function collectingLog(mode: RequestLogMode = 'all') {
  const events = new EventBus();
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().trim().split('\n')) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { events, lines, log: startHeadlessLog(events, sink, mode) };
}
