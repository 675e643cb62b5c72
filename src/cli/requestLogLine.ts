import type { RequestFinishedEvent } from '../events/types.js';

/** pino's level numbers, which the rest of the headless log uses. */
export const LOG_LEVEL = { info: 30, warn: 40, error: 50 } as const;

// What JSON must escape in a string; paths and ids almost never hold any, so most values are copied.
const NEEDS_ESCAPING = /["\\\u0000-\u001f\u2028\u2029]/;

/**
 * A request event as one JSON log line, in the shape pino writes (`level`, `time`, `event`, the
 * event's fields, `msg`), built as text directly: no intermediate object, which was most of what a
 * line cost through the logger. Each field is read by name, in the order the request lifecycle sets
 * them: walking the event's keys (`for…in` and `event[key]`) made every read a megamorphic keyed
 * load, and cost more than the rest of the line. Field names need no escaping.
 */
export function requestLogLine(event: RequestFinishedEvent, level: number, time: string): string {
  let line = `{"level":${level},"time":"${time}","event":"request","requestId":${jsonString(event.requestId)},"method":${jsonString(event.method)},"route":${jsonString(event.route)},"path":${jsonString(event.path)},"status":${event.status},"ms":${event.ms}`;
  if (event.startedAt !== undefined) line += `,"startedAt":${event.startedAt}`;
  if (event.tenantId !== undefined) line += `,"tenantId":${jsonString(event.tenantId)}`;
  if (event.clientId !== undefined) line += `,"clientId":${jsonString(event.clientId)}`;
  if (event.fault !== undefined) line += `,"fault":${jsonString(event.fault)}`;
  if (event.upstreamMs !== undefined) line += `,"upstreamMs":${event.upstreamMs}`;
  if (event.host !== undefined) line += `,"host":${jsonString(event.host)}`;
  if (event.accept !== undefined) line += `,"accept":${jsonString(event.accept)}`;
  if (event.query !== undefined) line += `,"query":${jsonString(event.query)}`;
  if (event.fhirVersion !== undefined) line += `,"fhirVersion":${jsonString(event.fhirVersion)}`;
  if (event.tokenJti !== undefined) line += `,"tokenJti":${jsonString(event.tokenJti)}`;
  if (event.tokenRefused !== undefined) line += `,"tokenRefused":${jsonString(event.tokenRefused)}`;
  if (event.faultKind !== undefined) line += `,"faultKind":${jsonString(event.faultKind)}`;
  if (event.clientClosed !== undefined) line += `,"clientClosed":${event.clientClosed}`;
  if (event.nextLink !== undefined) line += `,"nextLink":${jsonString(event.nextLink)}`;
  if (event.retryAfterSeconds !== undefined) line += `,"retryAfterSeconds":${event.retryAfterSeconds}`;
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
