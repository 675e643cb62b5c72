/** One memory reading: milliseconds since the start, and bytes. */
export interface MemorySample {
  atMs: number;
  bytes: number;
}

/** Least-squares slope of the samples, in MiB per minute; 0 with fewer than two distinct times. */
export function mibPerMinute(samples: readonly MemorySample[]): number {
  if (samples.length < 2) return 0;
  const meanT = samples.reduce((sum, sample) => sum + sample.atMs, 0) / samples.length;
  const meanB = samples.reduce((sum, sample) => sum + sample.bytes, 0) / samples.length;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.atMs - meanT) * (sample.bytes - meanB);
    variance += (sample.atMs - meanT) ** 2;
  }
  if (variance === 0) return 0;
  const bytesPerMs = covariance / variance;
  return (bytesPerMs * 60_000) / (1024 * 1024);
}

export function mib(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : (bytes / (1024 * 1024)).toFixed(1);
}
