/** Dates as UTC milliseconds: cheap arithmetic, and formatting that is identical on every machine. */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const YEAR_MS = 365.25 * DAY_MS;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Midnight UTC of an ISO date ("2026-01-01"); a caller passing anything else has a bug. */
export function parseIsoDate(isoDate: string): number {
  const ms = ISO_DATE.test(isoDate) ? Date.parse(`${isoDate}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new TypeError(`Expected an ISO date like 2026-01-01, got "${isoDate}"`);
  return ms;
}

/** FHIR `date`: "YYYY-MM-DD". */
export function formatDate(ms: number): string {
  return civilDate(Math.floor(ms / DAY_MS));
}

/** FHIR `dateTime`/`instant` to the second, in UTC. */
export function formatDateTime(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const seconds = Math.floor((ms - days * DAY_MS) / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return `${civilDate(days)}T${two(hours)}:${two(minutes)}:${two(seconds % 60)}Z`;
}

/**
 * Days since 1970-01-01 to "YYYY-MM-DD" (Howard Hinnant's civil_from_days): the generator formats
 * millions of dates, and Date#toISOString is several times slower. Years 0-9999 only.
 */
function civilDate(daysSinceEpoch: number): string {
  const z = daysSinceEpoch + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`;
}

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** Midnight UTC of the day holding `ms`. */
export function startOfDay(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

export function ageInYears(birthMs: number, atMs: number): number {
  return (atMs - birthMs) / YEAR_MS;
}
