/** The nearest-rank quantile (0 < quantile ≤ 1) of values sorted ascending; undefined when there are none. */
export function nearestRank(sorted: ArrayLike<number>, quantile: number): number | undefined {
  return sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
}
