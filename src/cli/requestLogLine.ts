import type { RequestFinishedEvent } from '../events/types.js';
import { jsonString, needsEscaping } from '../lib/jsonString.js';
import { lineBatch, type LineBatch } from './lineBatch.js';
import { RepeatedField } from './repeatedField.js';

/** pino's level numbers, which the rest of the headless log uses. */
export const LOG_LEVEL = { info: 30, warn: 40, error: 50 } as const;

// The parts of a line that repeat from one request to the next (a client's tenant, token and host; a
// route) keep their JSON text: most lines copy them instead of checking and quoting them again.
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

// A client repeating a request repeats everything but its id, time and duration: the line's bytes
// from "method" to "ms", and from "tenantId" to its end, are kept from the previous line while the
// event's fields there are the same. A line is then a few short texts and numbers between byte pieces copied out.
let previous: RequestFinishedEvent | undefined;
const opening = { level: -1, bytes: Buffer.alloc(0) };
let headBytes = Buffer.alloc(0);
let tailBytes = Buffer.alloc(0);
let pathIsPlain = true;
const REQUEST_ID_KEY = Buffer.from('","event":"request","requestId":');
const STARTED_AT_KEY = Buffer.from(',"startedAt":');

/**
 * A request event as one JSON log line, in the shape pino writes (`level`, `time`, `event`, the
 * event's fields, `msg`), written into `batch` as UTF-8: no intermediate object, which was most of
 * what a line cost through the logger, and no text of the whole line, which had to be flattened and
 * encoded again. Each field is read by name, in the order the request lifecycle sets them: walking
 * the event's keys (`for…in` and `event[key]`) made every read a megamorphic keyed load.
 */
export function writeRequestLogLine(event: RequestFinishedEvent, level: number, time: string, batch: LineBatch): void {
  if (level !== opening.level) {
    opening.level = level;
    opening.bytes = Buffer.from(`{"level":${level},"time":"`);
  }
  const sameHead = previous !== undefined && event.method === previous.method && event.route === previous.route && event.path === previous.path && event.status === previous.status;
  if (!sameHead) headBytes = Buffer.from(head(event));
  // The message repeats method, path and status, so a new head makes a new tail.
  if (!sameHead || !sameTail(event, previous as RequestFinishedEvent)) tailBytes = Buffer.from(tail(event));
  previous = event;
  batch.bytes(opening.bytes);
  batch.text(time);
  batch.bytes(REQUEST_ID_KEY);
  batch.jsonString(event.requestId);
  batch.bytes(headBytes);
  batch.number(event.ms);
  if (event.startedAt !== undefined) {
    batch.bytes(STARTED_AT_KEY);
    batch.number(event.startedAt);
  }
  batch.bytes(tailBytes);
  batch.endLine();
}

/** The same line as text. */
export function requestLogLine(event: RequestFinishedEvent, level: number, time: string): string {
  let line = '';
  const batch = lineBatch((bytes) => {
    line += bytes.toString();
  }, 1);
  writeRequestLogLine(event, level, time, batch);
  return line;
}

/** `,"method":…,"path":…,"status":…,"ms":`, the value of ms to follow. */
function head(event: RequestFinishedEvent): string {
  if (event.method !== methodAndRoute.method || event.route !== methodAndRoute.route) {
    methodAndRoute.method = event.method;
    methodAndRoute.route = event.route;
    methodAndRoute.methodIsPlain = !needsEscaping(event.method);
    methodAndRoute.text = `,"method":${jsonString(event.method)},"route":${jsonString(event.route)},"path":`;
  }
  pathIsPlain = !needsEscaping(event.path);
  const path = pathIsPlain ? `"${event.path}"` : JSON.stringify(event.path);
  return `${methodAndRoute.text}${path},"status":${event.status},"ms":`;
}

function sameTail(event: RequestFinishedEvent, previous: RequestFinishedEvent): boolean {
  return (
    event.tenantId === previous.tenantId &&
    event.clientId === previous.clientId &&
    event.fault === previous.fault &&
    event.upstreamMs === previous.upstreamMs &&
    event.host === previous.host &&
    event.accept === previous.accept &&
    event.query === previous.query &&
    event.fhirVersion === previous.fhirVersion &&
    event.tokenJti === previous.tokenJti &&
    event.tokenRefused === previous.tokenRefused &&
    event.faultKind === previous.faultKind &&
    event.clientClosed === previous.clientClosed &&
    event.nextLink === previous.nextLink &&
    event.retryAfterSeconds === previous.retryAfterSeconds
  );
}

/** The fields after startedAt, the message and the line's end. */
function tail(event: RequestFinishedEvent): string {
  let text = '';
  if (event.tenantId !== undefined) text += tenantId.text(event.tenantId);
  if (event.clientId !== undefined) text += clientId.text(event.clientId);
  if (event.fault !== undefined) text += fault.text(event.fault);
  if (event.upstreamMs !== undefined) text += `,"upstreamMs":${event.upstreamMs}`;
  if (event.host !== undefined) text += host.text(event.host);
  if (event.accept !== undefined) text += accept.text(event.accept);
  if (event.query !== undefined) text += `,"query":${jsonString(event.query)}`;
  if (event.fhirVersion !== undefined) text += fhirVersion.text(event.fhirVersion);
  if (event.tokenJti !== undefined) text += tokenJti.text(event.tokenJti);
  if (event.tokenRefused !== undefined) text += tokenRefused.text(event.tokenRefused);
  if (event.faultKind !== undefined) text += faultKind.text(event.faultKind);
  if (event.clientClosed !== undefined) text += `,"clientClosed":${event.clientClosed}`;
  if (event.nextLink !== undefined) text += `,"nextLink":${jsonString(event.nextLink)}`;
  if (event.retryAfterSeconds !== undefined) text += `,"retryAfterSeconds":${event.retryAfterSeconds}`;
  // The message is method, path and status: plain when both strings are, so it needs no check of its own.
  const message = `${event.method} ${event.path} ${event.status}`;
  return `${text},"msg":${methodAndRoute.methodIsPlain && pathIsPlain ? `"${message}"` : JSON.stringify(message)}}\n`;
}

// "000Z" … "999Z": the end of an ISO time for each millisecond of a second.
const MILLISECOND_ENDINGS = Array.from({ length: 1000 }, (_, ms) => `${String(ms).padStart(3, '0')}Z`);

/**
 * The wall-clock ISO time (`Date#toISOString`) of each call, formatted once per second: a line in
 * the same second costs its millisecond's ending added to the second's text, one in the same
 * millisecond nothing. Formatting a Date was a third of what a line cost when each had its own.
 */
export function isoTimeNow(now: () => number = Date.now): () => string {
  let secondStart = Number.NaN;
  let secondText = '';
  let formattedAt = Number.NaN;
  let formatted = '';
  return () => {
    // A Date keeps whole milliseconds, dropping any fraction toward zero.
    const at = Math.trunc(now());
    if (at === formattedAt) return formatted;
    const intoSecond = at - secondStart;
    if (!(intoSecond >= 0 && intoSecond < 1000)) {
      secondStart = at - (((at % 1000) + 1000) % 1000);
      const iso = new Date(secondStart).toISOString();
      secondText = iso.slice(0, iso.length - 4);
    }
    formattedAt = at;
    formatted = secondText + (MILLISECOND_ENDINGS[at - secondStart] as string);
    return formatted;
  };
}
