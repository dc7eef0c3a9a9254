import type { Level } from '../../core/levels.js';
import type { CompiledRule } from '../match/compile-pack.js';
import type { RiskConfig } from '../risk-config.js';
import type { Reason } from '../types.js';

export interface ScoreInput {
  rules: readonly CompiledRule[];
  negativeWords: readonly string[];
  followers: number | undefined;
  /** Author flags (press, elected…), configured and from earlier decisions. */
  flags: readonly string[];
  /** Whether the mention is on the subject of an open crisis. */
  onCrisis: boolean;
  account: string | null;
  /** Mentions of its cluster in the velocity window, this one included. */
  recentCount: number;
}

export interface Score {
  score: number;
  level: Level;
  reasons: Reason[];
}

/** The category that marks good buzz: counted, never a risk. */
export const PRAISE = 'praise';

/** Orders rules heaviest first; ties keep pack order. */
export function byWeight(rules: readonly CompiledRule[]): readonly CompiledRule[] {
  if (rules.length < 2) return rules;
  // Two rules (the common case after one) need no copy and no sort when already in order.
  if (rules.length === 2) return rules[1]!.def.weight > rules[0]!.def.weight ? [rules[1]!, rules[0]!] : rules;
  return [...rules].sort((a, b) => b.def.weight - a.def.weight);
}

export function levelOf(score: number, config: RiskConfig): Level {
  const l = config.levels;
  if (score >= l.critical) return 'critical';
  if (score >= l.high) return 'high';
  if (score >= l.watch) return 'watch';
  return 'none';
}

/**
 * A score moved by `reason.points` after the rules (the text model, an own post, a shared story):
 * kept within 0–100, its level read again, the reason added.
 */
export function withReason(scored: Score, reason: Reason, config: RiskConfig): Score {
  const score = Math.max(0, Math.min(100, scored.score + reason.points));
  return { score, level: levelOf(score, config), reasons: [...scored.reasons, reason] };
}

/** Deterministic score 0–100 with its reasons, each in words a person can check. */
export function scoreMention(input: ScoreInput, config: RiskConfig): Score {
  const reasons: Reason[] = [];
  const sorted = byWeight(input.rules);
  // Categories already counted: a handful at most, so an array (no Set per mention).
  const counted: string[] = [];
  let secondary = 0;
  // Points given per category, for negative rules that damp only some categories (`damps`).
  let given: Map<string, number> | null = null;
  // A risky subject (a positive rule outside praise) is amplified by reach and velocity.
  let risky = false;
  for (const rule of sorted) {
    const w = rule.def.weight;
    let points = w;
    if (w > 0) {
      if (counted.length > 0) {
        // Only the heaviest rule counts in full; another category adds a share, the same category nothing.
        const share = counted.includes(rule.def.category) ? 0 : Math.round(w * config.rules.secondaryShare);
        points = Math.min(share, config.rules.secondaryCap - secondary);
        secondary += points;
      }
      if (!counted.includes(rule.def.category)) counted.push(rule.def.category);
      if (rule.def.category !== PRAISE) risky = true;
    } else if (rule.def.damps) {
      // Rules are heaviest first, so every positive rule has given its points by now.
      given ??= pointsByCategory(reasons, sorted);
      points = -damp(given, rule.def.damps, -w);
    }
    reasons.push({ code: 'rule', text: `rule ${rule.name} ${signed(points)}`, points });
  }
  // A subject fully damped (a false alarm) is not amplified by reach or velocity.
  if (given !== null) risky = [...given].some(([category, points]) => points > 0 && category !== PRAISE);

  if (risky && input.followers !== undefined) {
    const step = highest(config.reach, (s) => s.followers, input.followers);
    if (step) reasons.push({ code: 'reach', text: `author reach ${compact(input.followers)} ${signed(step.points)}`, points: step.points });
  }
  for (let i = 0; i < input.flags.length; i++) {
    const flag = input.flags[i]!;
    if (input.flags.indexOf(flag) !== i) continue; // each flag once, in first-seen order
    const points = config.flags[flag];
    if (points) reasons.push({ code: 'author-flag', text: `author flagged ${flag} ${signed(points)}`, points });
  }
  if (risky) {
    const step = highest(config.velocity.steps, (s) => s.count, input.recentCount);
    if (step) {
      reasons.push({
        code: 'velocity',
        text: `${input.recentCount} similar in ${config.velocity.windowMinutes} min ${signed(step.points)}`,
        points: step.points,
      });
    }
  }
  if (input.negativeWords.length > 0 && config.negativity.perWord > 0) {
    const points = Math.min(config.negativity.max, input.negativeWords.length * config.negativity.perWord);
    reasons.push({ code: 'negativity', text: `negative tone (${input.negativeWords.slice(0, 3).join(', ')}) ${signed(points)}`, points });
  }
  if (input.onCrisis && config.crisis.points !== 0) {
    reasons.push({ code: 'crisis', text: `open crisis on this subject ${signed(config.crisis.points)}`, points: config.crisis.points });
  }
  if (input.account) {
    const points = accountPoints(config, input.account);
    if (points) reasons.push({ code: 'account', text: `account ${input.account} ${signed(points)}`, points });
  }
  const total = reasons.reduce((sum, r) => sum + r.points, 0);
  const score = Math.max(0, Math.min(100, Math.round(total)));
  return { score, level: levelOf(score, config), reasons };
}

/** Positive points given so far per category (`reasons[i]` is the reason of `sorted[i]`). */
function pointsByCategory(reasons: readonly Reason[], sorted: readonly CompiledRule[]): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < reasons.length; i++) {
    const points = reasons[i]!.points;
    if (points > 0) out.set(sorted[i]!.def.category, (out.get(sorted[i]!.def.category) ?? 0) + points);
  }
  return out;
}

/** Takes up to `amount` from the listed categories' points (in their order); returns what it took. */
function damp(given: Map<string, number>, categories: readonly string[], amount: number): number {
  let taken = 0;
  for (const c of categories) {
    const has = given.get(c) ?? 0;
    const take = Math.min(has, amount - taken);
    if (take <= 0) continue;
    given.set(c, has - take);
    taken += take;
  }
  return taken;
}

function accountPoints(config: RiskConfig, account: string): number {
  const bare = account.replace(/^@/, '').toLowerCase();
  for (const [handle, points] of Object.entries(config.accounts)) if (handle.replace(/^@/, '').toLowerCase() === bare) return points;
  return 0;
}

/** Steps are thresholds: the largest one reached applies, whatever their order in the file. */
function highest<T>(steps: readonly T[], threshold: (s: T) => number, value: number): T | undefined {
  let best: T | undefined;
  for (const s of steps) if (value >= threshold(s) && (best === undefined || threshold(s) > threshold(best))) best = s;
  return best;
}

function signed(points: number): string {
  return points >= 0 ? `+${points}` : `${points}`;
}

/** 56_300 → "56k", 1_250_000 → "1.3M". */
export function compact(n: number): string {
  if (n < 1_000) return String(n);
  if (n < 1_000_000) return `${Math.round(n / 1_000)}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}
