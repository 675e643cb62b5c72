// Bins grow by 5%, so a percentile read from a bin is within 5% of the true value, and recording a
// request costs one increment however busy the sandbox is.
const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);
// Requests served from memory take a tenth of a millisecond, so the first bin ends at 0.05 ms; the last
// covers about 10 minutes (the longest fault latency).
const FIRST_BIN_MS = 0.05;
export const HISTOGRAM_BINS = 2 + Math.ceil(Math.log(600_000 / FIRST_BIN_MS) / LOG_GROWTH);

/** Latency counts in logarithmic bins; merged across seconds to read percentiles of a window. */
export class LatencyHistogram {
  readonly counts = new Uint32Array(HISTOGRAM_BINS);
  total = 0;
  // The extremes seen, so a percentile never lies outside the data (one 40 ms request reads 40 ms, not 41).
  min = Infinity;
  max = -Infinity;

  record(ms: number): void {
    this.counts[binOf(ms)]! += 1;
    this.total += 1;
    this.min = Math.min(this.min, ms);
    this.max = Math.max(this.max, ms);
  }

  add(other: LatencyHistogram): void {
    for (let i = 0; i < HISTOGRAM_BINS; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }

  /** The upper bound of the bin holding the q-quantile (0 < q ≤ 1), kept within the data's range; undefined when empty. */
  percentile(q: number): number | undefined {
    if (this.total === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    let bin = HISTOGRAM_BINS - 1;
    for (let i = 0; i < HISTOGRAM_BINS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        bin = i;
        break;
      }
    }
    return Math.min(Math.max(upperBoundOf(bin), this.min), this.max);
  }
}

function binOf(ms: number): number {
  if (!(ms >= FIRST_BIN_MS)) return 0;
  return Math.min(HISTOGRAM_BINS - 1, 1 + Math.floor(Math.log(ms / FIRST_BIN_MS) / LOG_GROWTH));
}

function upperBoundOf(bin: number): number {
  return FIRST_BIN_MS * GROWTH ** bin;
}
