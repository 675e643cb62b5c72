import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { startHeadlessLog } from '../../src/cli/headlessLog.js';
import { tokenIssuedLogLine } from '../../src/cli/tokenIssuedLogLine.js';
import { EventBus } from '../../src/events/eventBus.js';
import type { TokenIssuedEvent } from '../../src/events/types.js';

const TIME = '2026-12-02T17:00:00.000Z';

/** The line pino wrote for a token-issued event before it was built as text. */
function pinoLine(event: TokenIssuedEvent): string {
  let written = '';
  const sink = { write: (line: string) => (written += line) };
  const logger = pino({ base: undefined, timestamp: () => `,"time":"${TIME}"`, messageKey: 'msg' }, sink);
  const { type, at: _at, ...fields } = event;
  logger.info({ event: type, ...fields }, type);
  return written;
}

describe('the token-issued log line', () => {
  const event: TokenIssuedEvent = { type: 'token-issued', at: 1, clientId: 'demo-client', tenantId: '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50', jti: '8c1d2e3f-0000-4000-8000-000000000001', expiresAt: 1_800_000_000_000 };

  it('is byte for byte the line pino wrote, also for a client id that needs escaping', () => {
    expect(tokenIssuedLogLine(event, TIME)).toBe(pinoLine(event));
    const odd = { ...event, clientId: 'odd "app"\\\n\u2028' };
    expect(tokenIssuedLogLine(odd, TIME)).toBe(pinoLine(odd));
  });

  it('is what the headless log writes for each token', async () => {
    const events = new EventBus();
    let written = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const log = startHeadlessLog(events, sink);
    events.emit(event);
    await log.close();
    const line = JSON.parse(written.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, event: 'token-issued', clientId: 'demo-client', jti: event.jti, expiresAt: event.expiresAt, msg: 'token-issued' });
    expect(Object.keys(line)).toEqual(['level', 'time', 'event', 'clientId', 'tenantId', 'jti', 'expiresAt', 'msg']);
  });
});
