import type { RequestFinishedEvent } from '../../src/events/types.js';

/** The time every request-line test writes its lines at. */
export const TIME = '2026-12-01T10:00:00.000Z';

/** The line as pino would write it: level, time, event, the event's own fields in their order, msg. */
export function pinoShaped(event: RequestFinishedEvent, level: number): string {
  const { type: _type, at: _at, ...fields } = event;
  return `${JSON.stringify({ level, time: TIME, event: 'request', ...fields, msg: `${event.method} ${event.path} ${event.status}` })}\n`;
}
