import type { RequestFinishedEvent } from '../events/types.js';

/** pino's level numbers, which the rest of the headless log uses. */
export const LOG_LEVEL = { info: 30, warn: 40, error: 50 } as const;

// What JSON must escape in a string; paths and ids almost never hold any, so most values are copied.
const NEEDS_ESCAPING = /["\\\u0000-\u001f\u2028\u2029]/;

/**
 * A request event as one JSON log line, in the shape pino writes (`level`, `time`, `event`, the
 * event's fields, `msg`), built as text directly: no intermediate object, which was most of what a
 * line cost through the logger. Field names are the event's own identifiers and need no escaping.
 */
export function requestLogLine(event: RequestFinishedEvent, level: number, time: string): string {
  let line = `{"level":${level},"time":"${time}","event":"request"`;
  for (const key in event) {
    if (key === 'type' || key === 'at') continue;
    const value = event[key as keyof RequestFinishedEvent];
    if (value === undefined) continue;
    line += typeof value === 'string' ? `,"${key}":${jsonString(value)}` : `,"${key}":${String(value)}`;
  }
  return `${line},"msg":${jsonString(`${event.method} ${event.path} ${event.status}`)}}\n`;
}

function jsonString(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** The wall-clock ISO time, formatted once per millisecond: under load many lines share one. */
export function isoTimeNow(): () => string {
  let formattedAt = -1;
  let formatted = '';
  return () => {
    const now = Date.now();
    if (now !== formattedAt) {
      formattedAt = now;
      formatted = new Date(now).toISOString();
    }
    return formatted;
  };
}
