import type { Level } from '../core/levels.js';

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A one-line chart of counts, used by every platform and by the digest. Zero is the lowest bar and
 * any non-zero count at least the second, so a quiet hour and a single mention do not look the same.
 * Only the last `width` buckets are drawn.
 */
export function sparkline(counts: readonly number[], width = Number.POSITIVE_INFINITY): string {
  const recent = (Number.isFinite(width) ? counts.slice(-width) : counts).map((n) => (Number.isFinite(n) && n > 0 ? n : 0));
  const max = Math.max(0, ...recent);
  return recent
    .map((n) => {
      if (n <= 0 || max === 0) return BARS[0];
      return BARS[Math.max(1, Math.ceil((n / max) * (BARS.length - 1)))];
    })
    .join('');
}

/** The level marks shared by Slack and Discord (both render Unicode emoji). */
export const LEVEL_EMOJI: Record<Level, string> = {
  none: '⚪',
  watch: '🟡',
  high: '🟠',
  critical: '🔴',
};
