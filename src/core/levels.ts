/** Risk levels, lowest first: the order matters for comparisons. */
export const LEVELS = ['none', 'watch', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}
export function maxLevel(a: Level, b: Level): Level {
  return levelRank(a) >= levelRank(b) ? a : b;
}
export function atLeast(level: Level, threshold: Level): boolean {
  return levelRank(level) >= levelRank(threshold);
}
