/** Upper bounds that keep any rule, however written, from hurting the server. */
export const FAULT_LIMITS = {
  /** Any duration a rule can ask for: latency, hang. */
  maxMs: 600_000,
  /** Schedules are measured from start; a year is far beyond any session. */
  maxScheduleSeconds: 31_536_000,
  maxEveryNth: 1_000_000,
  maxRetryAfterSeconds: 86_400,
  maxTotalDelta: 1_000_000,
  /** σ of ln(latency); e^(3·3) ≈ 8000× the median is already absurd. */
  maxLognormalSpread: 3,
  maxMatchValues: 100,
  maxMessageLength: 500,
} as const;
