import type { Level } from '../../core/levels.js';
import { type Score, withReason } from '../risk/score.js';
import type { RiskConfig } from '../risk-config.js';
import type { Head, TextPrediction } from './text-model.js';

/** The words behind a head's verdict on this text: `sign` 1 for, -1 against. */
export type Strongest = (head: Head, sign: 1 | -1) => string[];

const LIFTS: ReadonlyArray<{ from: Level; to: Head }> = [
  { from: 'none', to: 'watch' },
  { from: 'watch', to: 'high' },
  { from: 'high', to: 'critical' },
];

/**
 * The text model's word on the rules' score. It lifts a mention one level at a time while it is
 * sure enough of the next (phrasings no rule knows: "everyone is running to the exit") and quiets a
 * mention the rules flagged that reads like everyday talk ("mon code a explosé en prod"). A high one
 * past a stricter bar (`vetoHigh`), a critical one past a much stricter one (`vetoCritical`): a missed
 * alert costs more than a card someone ignores. `mayLift` false: it may quiet, not lift (posts by the watched accounts).
 * Each change is a reason with the words that weighed most.
 */
export function applyTextModel(scored: Score, p: TextPrediction, strongest: Strongest, config: RiskConfig, mayLift = true): Score {
  const { lift, veto, vetoHigh, vetoCritical } = config.textModel;
  const levels = config.levels;
  let level = scored.level;
  for (const step of LIFTS) {
    if (mayLift && level === step.from && p[step.to] >= lift[step.to]) level = step.to;
  }
  if (level !== scored.level) {
    const points = levels[level as Head] - scored.score;
    const words = strongest(level as Head, 1);
    return withReason(scored, { code: 'text-model', text: `text reads like ${level} reports (${words.join(', ')}) +${points}`, points }, config);
  }
  const bar = level === 'critical' ? vetoCritical : level === 'high' ? vetoHigh : veto;
  if (level !== 'none' && p.watch < bar) {
    const points = levels.watch - 1 - scored.score;
    const words = strongest('watch', -1);
    return withReason(scored, { code: 'text-model', text: `text reads like everyday talk (${words.join(', ')}) ${points}`, points }, config);
  }
  return scored;
}
