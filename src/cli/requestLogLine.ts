import type { RequestFinishedEvent } from '../events/types.js';
import { RepeatedField } from './repeatedField.js';
import { needsEscaping, jsonString } from './jsonText.js';

/** pino's level numbers, which the rest of the headless log uses. */
export const LOG_LEVEL = { info: 30, warn: 40, error: 50 } as const;

// The parts of a line that repeat from one request to the next (a client's tenant, token and host; a
// route) keep their JSON text: most lines copy them instead of checking and quoting them again.
const opening = { level: -1, time: '', text: '' };
const methodAndRoute = { method: '', route: '', methodIsPlain: true, text: '' };
const tenantId = new RepeatedField('tenantId');
const clientId = new RepeatedField('clientId');
const fault = new RepeatedField('fault');
const host = new RepeatedField('host');
const accept = new RepeatedField('accept');
const fhirVersion = new RepeatedField('fhirVersion');
const tokenJti = new RepeatedField('tokenJti');
const tokenRefused = new RepeatedField('tokenRefused');
const faultKind = new RepeatedField('faultKind');

/**
 * A request event as one JSON log line, in the shape pino writes (`level`, `time`, `event`, the
 * event's fields, `msg`), built as text directly: no intermediate object, which was most of what a
 * line cost through the logger. Each field is read by name, in the order the request lifecycle sets
 * them: walking the event's keys (`for…in` and `event[key]`) made every read a megamorphic keyed
 * load. A line is a few large pieces rather than a piece per key and value, because the batch it
 * joins is flattened once per write and that costs per piece.
 */
export function requestLogLine(event: RequestFinishedEvent, level: number, time: string): string {
  if (level !== opening.level || time !== opening.time) {
    opening.level = level;
    opening.time = time;
    opening.text = `{"level":${level},"time":"${time}","event":"request","requestId":`;
  }
  if (event.method !== methodAndRoute.method || event.route !== methodAndRoute.route) {
    methodAndRoute.method = event.method;
    methodAndRoute.route = event.route;
    methodAndRoute.methodIsPlain = !needsEscaping(event.method);
    methodAndRoute.text = `,"method":${jsonString(event.method)},"route":${jsonString(event.route)},"path":`;
  }
  const pathIsPlain = !needsEscaping(event.path);
  const path = pathIsPlain ? `"${event.path}"` : JSON.stringify(event.path);
  let line = `${opening.text}${jsonString(event.requestId)}${methodAndRoute.text}${path},"status":${event.status},"ms":${event.ms}`;
  if (event.startedAt !== undefined) line += `,"startedAt":${event.startedAt}`;
  if (event.tenantId !== undefined) line += tenantId.text(event.tenantId);
  if (event.clientId !== undefined) line += clientId.text(event.clientId);
  if (event.fault !== undefined) line += fault.text(event.fault);
  if (event.upstreamMs !== undefined) line += `,"upstreamMs":${event.upstreamMs}`;
  if (event.host !== undefined) line += host.text(event.host);
  if (event.accept !== undefined) line += accept.text(event.accept);
  if (event.query !== undefined) line += `,"query":${jsonString(event.query)}`;
  if (event.fhirVersion !== undefined) line += fhirVersion.text(event.fhirVersion);
  if (event.tokenJti !== undefined) line += tokenJti.text(event.tokenJti);
  if (event.tokenRefused !== undefined) line += tokenRefused.text(event.tokenRefused);
  if (event.faultKind !== undefined) line += faultKind.text(event.faultKind);
  if (event.clientClosed !== undefined) line += `,"clientClosed":${event.clientClosed}`;
  if (event.nextLink !== undefined) line += `,"nextLink":${jsonString(event.nextLink)}`;
  if (event.retryAfterSeconds !== undefined) line += `,"retryAfterSeconds":${event.retryAfterSeconds}`;
  // The message is method, path and status: plain when both strings are, so it needs no check of its own.
  const message = `${event.method} ${event.path} ${event.status}`;
  return `${line},"msg":${pathIsPlain && methodAndRoute.methodIsPlain ? `"${message}"` : JSON.stringify(message)}}\n`;
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
