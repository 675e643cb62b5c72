/** The middle value (the mean of the two middle ones for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Half the range, as a fraction of the median: how far runs strayed either side. */
export function spread(values: readonly number[]): number {
  const middle = median(values);
  if (values.length === 0 || middle === 0) return 0;
  return (Math.max(...values) - Math.min(...values)) / 2 / middle;
}
