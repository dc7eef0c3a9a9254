import { z } from 'zod';
import { atLeast, LEVELS, type Level } from '../core/levels.js';

/** The label of a mention line, as `vigie model train` and `vigie score` read it. */
export const lineLabelSchema = z.object({
  expected: z.enum(LEVELS),
  /**
   * `convention`: the level follows a rule of the set rather than someone's judgement of the
   * mention (in the later sets, every post by our own accounts is `none` so the sets compare). Such
   * a line is scored, not learnt from or counted: it would teach that an official alert is chatter.
   */
  expectedBy: z.enum(['person', 'convention']).default('person'),
});

/**
 * How a backtest's levels compare with the levels people gave the same mentions: lines of a
 * `vigie score` file that carry `"expected": "none" | "watch" | "high" | "critical"` (the format
 * `vigie model train` reads). The three figures are the engine's aims: critical mentions at high
 * or above, mentions that need a human at watch or above, quiet ones flagged at watch or above.
 * Lines marked `"expectedBy": "convention"` follow a rule of their set, not a judgement: scored,
 * not counted.
 */
export class LabelFigures {
  /** `counts[expected][got]`. */
  private readonly counts = new Map<Level, Record<Level, number>>();

  /** Reads a line's label, if it has a valid one. */
  static labelOf(json: unknown): Level | null {
    const label = lineLabelSchema.safeParse(json);
    return label.success && label.data.expectedBy === 'person' ? label.data.expected : null;
  }

  add(expected: Level, got: Level): void {
    let row = this.counts.get(expected);
    if (!row) {
      row = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
      this.counts.set(expected, row);
    }
    row[got]++;
  }

  get size(): number {
    let n = 0;
    for (const row of this.counts.values()) for (const l of LEVELS) n += row[l];
    return n;
  }

  /** The summary lines, or none when no line was labelled. */
  lines(): string[] {
    if (this.size === 0) return [];
    const share = (of: (e: Level) => boolean, hit: (g: Level) => boolean) => {
      let all = 0;
      let hits = 0;
      for (const [e, row] of this.counts) {
        if (!of(e)) continue;
        for (const g of LEVELS) {
          all += row[g];
          if (hit(g)) hits += row[g];
        }
      }
      return all === 0 ? 'n/a (none labelled)' : `${(hits / all).toFixed(3)} (${hits}/${all})`;
    };
    const matrix = LEVELS.filter((e) => this.counts.has(e)).map((e) => `${e} → ${LEVELS.map((g) => `${g} ${this.counts.get(e)![g]}`).join(' · ')}`);
    return [
      `against the ${this.size} labelled lines: critical at high or above ${share((e) => e === 'critical', (g) => atLeast(g, 'high'))}, ` +
        `needing a human at watch or above ${share((e) => e !== 'none', (g) => atLeast(g, 'watch'))}, ` +
        `quiet ones flagged ${share((e) => e === 'none', (g) => atLeast(g, 'watch'))}`,
      ...matrix.map((m) => `  expected ${m}`),
    ];
  }
}
