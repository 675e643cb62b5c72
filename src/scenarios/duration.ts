/** "90s", "1m30s", "500ms", "2h" or a number of seconds: when a scenario step happens. */
export type Duration = number | string;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Milliseconds in a duration; the pattern has been checked by the schema. */
export function durationMs(duration: Duration): number {
  if (typeof duration === 'number') return Math.round(duration * 1000);
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(PART)) total += Number(amount) * (UNIT_MS[unit as string] ?? 0);
  return Math.round(total);
}

/** 90000 → "1m30s", 500 → "0.5s": how the dashboard and the status show offsets. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  const minutes = Math.floor(ms / 60_000);
  const rest = Math.round((ms - minutes * 60_000) / 1000);
  return rest === 0 ? `${minutes}m` : `${minutes}m${rest}s`;
}
