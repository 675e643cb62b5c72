/**
 * FHIR dates as half-open ranges of epoch milliseconds: "2024" covers [2024-01-01, 2025-01-01),
 * "2024-03-05T10:00" covers that minute. Range semantics make partial dates and prefixes exact.
 */
export interface DateRange {
  start: number;
  /** Exclusive. */
  end: number;
}

const FHIR_DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** Parses a FHIR date, dateTime or instant (minutes allowed, as search values use them); undefined if malformed. */
export function parseDateRange(text: string): DateRange | undefined {
  if (text.length === 10 || text.length === 20) {
    const fast = text.length === 10 ? plainDate(text) : zuluSeconds(text);
    if (fast !== undefined) return fast;
  }
  const match = FHIR_DATE.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const y = Number(year);
  if (month === undefined) return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
  const m = Number(month) - 1;
  if (m < 0 || m > 11) return undefined;
  if (day === undefined) return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
  const d = Number(day);
  if (d < 1 || d > new Date(Date.UTC(y, m + 1, 0)).getUTCDate()) return undefined;
  if (hour === undefined) return { start: Date.UTC(y, m, d), end: Date.UTC(y, m, d + 1) };
  const h = Number(hour);
  const min = Number(minute);
  const s = second === undefined ? 0 : Number(second);
  if (h > 23 || min > 59 || s > 59) return undefined;
  const ms = fraction === undefined ? 0 : Math.floor(Number(fraction) * 1000);
  const offsetMs = zoneOffsetMs(zone);
  const start = Date.UTC(y, m, d, h, min, s, ms) - offsetMs;
  const precision = fraction !== undefined ? 1 : second !== undefined ? 1000 : 60_000;
  return { start, end: start + precision };
}

/** A dateTime without a zone is read as UTC: the sandbox has no local time of its own. */
function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
}

/** Fast path for "YYYY-MM-DD", the most common stored form (birth dates, recorded dates): no regex. */
function plainDate(text: string): DateRange | undefined {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const y = digits(text, 0, 4);
  const m = digits(text, 5, 7);
  const d = digits(text, 8, 10);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const start = Date.UTC(y, m - 1, d);
  if (new Date(start).getUTCDate() !== d) return undefined;
  return { start, end: start + 86_400_000 };
}

/** Fast path for "YYYY-MM-DDThh:mm:ssZ", the usual stored dateTime: no regex. */
function zuluSeconds(text: string): DateRange | undefined {
  if (text.charCodeAt(10) !== 84 || text.charCodeAt(19) !== 90 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const day = plainDate(text.slice(0, 10));
  const h = digits(text, 11, 13);
  const min = digits(text, 14, 16);
  const sec = digits(text, 17, 19);
  if (day === undefined || h < 0 || h > 23 || min < 0 || min > 59 || sec < 0 || sec > 59) return undefined;
  const start = day.start + ((h * 60 + min) * 60 + sec) * 1000;
  return { start, end: start + 1000 };
}

function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}
