const BARS = '▁▂▃▄▅▆▇█';

/**
 * A one-line chart of counts. Zero is the lowest bar and any non-zero count at least the second,
 * so a quiet hour and a single mention do not look the same.
 */
export function sparkline(counts: readonly number[]): string {
  const max = Math.max(0, ...counts);
  return counts
    .map((n) => {
      if (n <= 0 || max === 0) return BARS[0];
      return BARS[Math.max(1, Math.ceil((n / max) * (BARS.length - 1)))];
    })
    .join('');
}
