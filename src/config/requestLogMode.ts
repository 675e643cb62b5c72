/** Which requests the headless log writes a line for (--log-requests). */
export const REQUEST_LOG_MODES = ['all', 'sampled', 'off'] as const;
export type RequestLogMode = (typeof REQUEST_LOG_MODES)[number];

/** With "sampled": one line for every this many successful requests; every 4xx and 5xx is logged. */
export const SAMPLE_EVERY = 100;

export function isRequestLogMode(value: string): value is RequestLogMode {
  return (REQUEST_LOG_MODES as readonly string[]).includes(value);
}

/** Whether a request's line is written: counts successes so "sampled" keeps one in SAMPLE_EVERY. */
export function requestLogFilter(mode: RequestLogMode): (status: number) => boolean {
  if (mode === 'all') return () => true;
  if (mode === 'off') return () => false;
  let successes = 0;
  return (status) => status >= 400 || successes++ % SAMPLE_EVERY === 0;
}
