// The instant last formatted, to the second: "2026-12-02T17:20:00." for every ms of that second.
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(epochMs).toISOString()`, with the date and time of day formatted once per second:
 * every searchset and batch-response carries the current instant, and formatting a Date cost more
 * than writing the rest of a small Bundle's header.
 */
export function isoInstant(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    // toISOString also refuses what is not a valid time (RangeError), as callers expect.
    const text = new Date(second * 1000).toISOString();
    cachedSecond = second;
    cachedPrefix = text.slice(0, text.length - 4);
  }
  const millis = epochMs - second * 1000;
  return `${cachedPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
