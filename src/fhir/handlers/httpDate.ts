/** How many distinct instants keep their formatted text; seeded data shares a handful of them. */
const REMEMBERED_DATES = 1024;

const formatted = new Map<number, string>();

/**
 * The HTTP-date text (RFC 9110, e.g. "Tue, 01 Dec 2026 10:00:00 GMT") of an epoch-ms instant,
 * formatted once per distinct instant: `Last-Modified` is sent on every read, and formatting a
 * Date cost more than the rest of building the response.
 */
export function httpDate(epochMs: number): string {
  let text = formatted.get(epochMs);
  if (text === undefined) {
    text = new Date(epochMs).toUTCString();
    if (formatted.size >= REMEMBERED_DATES) formatted.delete(formatted.keys().next().value as number);
    formatted.set(epochMs, text);
  }
  return text;
}
