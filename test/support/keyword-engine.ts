import { type Level, maxLevel } from '../../src/core/levels.js';
import type { Analysis, ClusterSnapshot, Engine } from '../../src/engine/types.js';
import type { Mention } from '../../src/mentions/mention.js';

/**
 * A deliberately simple Engine for pipeline tests: a keyword table and clustering by the `story:`
 * tag or the original mention. It keeps pipeline tests independent of the default rule pack's
 * tuning; the real engine has its own suite.
 */
export function keywordEngine(keywords: Record<string, { level: Level; category: string; score: number }> = DEFAULT): Engine {
  const clusters = new Map<string, { count: number; level: Level; first: Date; last: Date; category: string | null }>();
  return {
    analyze(m: Mention): Analysis {
      const text = m.text.toLowerCase();
      let level: Level = 'none';
      let score = 0;
      let category: string | null = null;
      const rules = [];
      for (const [word, k] of Object.entries(keywords)) {
        if (text.includes(word)) {
          level = maxLevel(level, k.level);
          if (k.score > score) {
            score = k.score;
            category = k.category;
          }
          rules.push({ ruleId: `${k.category}/${word}`, category: k.category, weight: k.score });
        }
      }
      const tag = /story:(\w+)/.exec(text)?.[1];
      const id = tag ? `c-${tag}` : `c-${m.repostOf ?? m.replyTo ?? `${m.source}-${m.id}`}`;
      const at = new Date(m.createdAt);
      const c = clusters.get(id) ?? { count: 0, level: 'none' as Level, first: at, last: at, category };
      c.count++;
      c.level = maxLevel(c.level, level);
      c.last = at;
      c.category ??= category;
      clusters.set(id, c);
      return {
        normalizedText: text,
        lang: m.lang ?? 'fr',
        account: m.account ?? null,
        urls: [],
        handles: [],
        score,
        level,
        reasons: rules.map((r) => ({ code: 'rule', text: `rule ${r.ruleId} +${r.weight}`, points: r.weight })),
        rules,
        category,
        cluster: { id, isNew: c.count === 1, count: c.count, recentCount: c.count, firstSeen: c.first, lastSeen: c.last, level: c.level, category: c.category },
      };
    },
    snapshot(id: string): ClusterSnapshot | null {
      const c = clusters.get(id);
      return c ? { id, firstSeen: c.first, lastSeen: c.last, count: c.count, level: c.level, category: c.category, signature: { kw: true } } : null;
    },
    // Its clusters are never evicted.
    liveSetCap: Number.POSITIVE_INFINITY,
    restore() {},
    replaceRules() {},
    spikes() {
      return [];
    },
  };
}

const DEFAULT = {
  bombe: { level: 'critical', category: 'security', score: 80 },
  bomb: { level: 'critical', category: 'security', score: 80 },
  retard: { level: 'watch', category: 'disruption', score: 30 },
  malaise: { level: 'high', category: 'safety', score: 55 },
} as const;
