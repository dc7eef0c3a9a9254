import type { Locale, TicketStatus } from '../chat/card.js';
import { LEVELS, type Level } from '../core/levels.js';
import { daysOverdue, type TemplateFreshness, templateFreshness } from '../templates/freshness.js';
import { sparkline } from '../chat/sparkline.js';

/**
 * The daily digest, computed from plain rows the caller queries for the window. Definitions, so a
 * person can recompute every figure by hand:
 * - The window is the 24 whole hours before `now` rounded down to the hour: [end − 24 h, end).
 *   Volume rows, cards (by `openedAt`) and decisions (by `at`) outside it are left out.
 * - "On time": a high or critical card of the window decided (first decision) within its target.
 *   Cards still undecided whose target has not passed yet are "pending" and left out of the share;
 *   undecided cards past their target count as late. No mean response time: one slow night hides
 *   behind a fast day in a mean, not in a share.
 * - Open risks: high or critical tickets still open or assigned, opened longer ago than their target.
 * - No follower counts anywhere.
 */

export interface DigestInput {
  /** Mentions per hour per account per source (the `volume` aggregate), covering at least the window. */
  volume: ReadonlyArray<{ hour: Date; account: string; source: string; count: number; risky?: number | undefined }>;
  /** Tickets (cards) opened in the window. */
  cards: ReadonlyArray<{ ticketId: number; level: Level; openedAt: Date; firstDecisionAt: Date | null; status: TicketStatus }>;
  /** Decisions taken in the window. */
  decisions: ReadonlyArray<{ ticketId: number | null; action: string; at: Date; reason?: string | null | undefined }>;
  /** Tickets currently open or assigned, whatever their age (levels below high are ignored). */
  openRisks: ReadonlyArray<{ ticketId: number; level: Level; openedAt: Date; status: TicketStatus; category?: string | null | undefined; text?: string | null | undefined; url?: string | null | undefined }>;
  /** Crises opened or closed in the window, and those still open. */
  crises: ReadonlyArray<{ id: number; title: string; openedAt: Date; closedAt: Date | null; site?: string | null | undefined }>;
  /** The window's top stories (clusters), any order; `praise` marks good buzz. */
  clusters: ReadonlyArray<{ id: string; score: number; count: number; velocity: number; category: string | null; url: string | null; sampleText: string; praise: boolean }>;
  /** Volume spikes detected in the window. */
  spikes: ReadonlyArray<{ subject: string; at: Date; count: number; account?: string | null | undefined }>;
  /** The template library (or just its review fields). */
  templates: ReadonlyArray<{ id: string; title: string; owner: string; reviewedAt: Date; reviewEveryDays: number; hardLimitDays: number }>;
}

export interface DigestOptions {
  now: Date;
  timeZone: string;
  /** Minutes: `config.digest.targetMinutes`. */
  targets: { high: number; critical: number };
  locale: Locale;
  /** Handle → label (config accounts). */
  accountLabels?: Readonly<Record<string, string>> | undefined;
  /** Stories per buzz list (default 5). */
  top?: number | undefined;
}

export interface OnTime {
  targetMinutes: number;
  /** Cards judged: within + late. */
  judged: number;
  within: number;
  late: number;
  /** Undecided, target not passed yet. */
  pending: number;
  /** within / judged, null when nothing was judged. */
  share: number | null;
}

export interface DigestModel {
  locale: Locale;
  timeZone: string;
  window: { from: Date; to: Date };
  volume: {
    total: number;
    risky: number;
    hourly: number[];
    sparkline: string;
    byAccount: Array<{ account: string; label: string; total: number; risky: number; hourly: number[]; sparkline: string; bySource: Array<{ source: string; count: number }> }>;
    bySource: Array<{ source: string; count: number }>;
  };
  cards: { total: number; byLevel: Record<Level, number> };
  decisions: { total: number; byOutcome: Array<{ outcome: DecisionOutcome; count: number }>; ignoreReasons: Array<{ reason: string; count: number }> };
  onTime: { high: OnTime; critical: OnTime; both: { judged: number; within: number; share: number | null } };
  openRisks: { open: number; overdue: Array<{ ticketId: number; level: Level; status: TicketStatus; ageMs: number; category: string | null; text: string | null; url: string | null }> };
  crises: { opened: DigestInput['crises'][number][]; closed: DigestInput['crises'][number][]; stillOpen: DigestInput['crises'][number][] };
  badBuzz: DigestInput['clusters'][number][];
  goodBuzz: DigestInput['clusters'][number][];
  spikes: DigestInput['spikes'][number][];
  templatesDue: Array<{ id: string; title: string; owner: string; freshness: Exclude<TemplateFreshness, 'fresh'>; daysOverdue: number }>;
}

export const DECISION_OUTCOMES = ['replied', 'ignored', 'assigned', 'resolved', 'drafted', 'reopened', 'other'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

const OUTCOME_OF: Record<string, DecisionOutcome> = {
  reply: 'replied',
  'approve-reply': 'replied',
  ignore: 'ignored',
  assign: 'assigned',
  resolve: 'resolved',
  'draft-reply': 'drafted',
  reopen: 'reopened',
};

const HOUR_MS = 3_600_000;

function countBy<T>(items: readonly T[], key: (t: T) => string, weight: (t: T) => number = () => 1): Array<{ key: string; count: number }> {
  const m = new Map<string, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + weight(it));
  return [...m].map(([k, count]) => ({ key: k, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

function onTime(cards: DigestInput['cards'], level: 'high' | 'critical', targetMinutes: number, now: Date): OnTime {
  const target = targetMinutes * 60_000;
  let within = 0;
  let late = 0;
  let pending = 0;
  for (const c of cards) {
    if (c.level !== level) continue;
    if (c.firstDecisionAt) {
      if (c.firstDecisionAt.getTime() - c.openedAt.getTime() <= target) within++;
      else late++;
    } else if (now.getTime() - c.openedAt.getTime() > target) late++;
    else pending++;
  }
  const judged = within + late;
  return { targetMinutes, judged, within, late, pending, share: judged === 0 ? null : within / judged };
}

export function computeDigest(data: DigestInput, options: DigestOptions): DigestModel {
  const { now } = options;
  const to = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const from = new Date(to.getTime() - 24 * HOUR_MS);
  const inWindow = (d: Date) => d.getTime() >= from.getTime() && d.getTime() < to.getTime();
  const top = options.top ?? 5;

  // Volume, with one 24-slot series per account.
  const rows = data.volume.filter((r) => inWindow(r.hour));
  const slot = (d: Date) => Math.floor((d.getTime() - from.getTime()) / HOUR_MS);
  const hourly = new Array<number>(24).fill(0);
  const accounts = new Map<string, { total: number; risky: number; hourly: number[]; sources: Map<string, number> }>();
  for (const r of rows) {
    hourly[slot(r.hour)]! += r.count;
    const a = accounts.get(r.account) ?? { total: 0, risky: 0, hourly: new Array<number>(24).fill(0), sources: new Map<string, number>() };
    accounts.set(r.account, a);
    a.total += r.count;
    a.risky += r.risky ?? 0;
    a.hourly[slot(r.hour)]! += r.count;
    a.sources.set(r.source, (a.sources.get(r.source) ?? 0) + r.count);
  }
  const byAccount = [...accounts]
    .map(([account, a]) => ({
      account,
      label: options.accountLabels?.[account] ?? account,
      total: a.total,
      risky: a.risky,
      hourly: a.hourly,
      sparkline: sparkline(a.hourly),
      bySource: [...a.sources].map(([source, count]) => ({ source, count })).sort((x, y) => y.count - x.count || x.source.localeCompare(y.source)),
    }))
    .sort((x, y) => y.total - x.total || x.account.localeCompare(y.account));

  const cards = data.cards.filter((c) => inWindow(c.openedAt));
  const byLevel = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  for (const c of cards) byLevel[c.level]++;

  const decisions = data.decisions.filter((d) => inWindow(d.at));
  const high = onTime(cards, 'high', options.targets.high, now);
  const critical = onTime(cards, 'critical', options.targets.critical, now);
  const bothJudged = high.judged + critical.judged;
  const bothWithin = high.within + critical.within;

  const risks = data.openRisks.filter((r) => (r.level === 'high' || r.level === 'critical') && (r.status === 'open' || r.status === 'assigned'));
  const overdue = risks
    .filter((r) => now.getTime() - r.openedAt.getTime() > options.targets[r.level as 'high' | 'critical'] * 60_000)
    .map((r) => ({ ticketId: r.ticketId, level: r.level, status: r.status, ageMs: now.getTime() - r.openedAt.getTime(), category: r.category ?? null, text: r.text ?? null, url: r.url ?? null }))
    .sort((a, b) => (a.level === b.level ? b.ageMs - a.ageMs : a.level === 'critical' ? -1 : 1));

  const byScore = (a: DigestInput['clusters'][number], b: DigestInput['clusters'][number]) => b.score - a.score || b.velocity - a.velocity || b.count - a.count || a.id.localeCompare(b.id);

  return {
    locale: options.locale,
    timeZone: options.timeZone,
    window: { from, to },
    volume: {
      total: rows.reduce((n, r) => n + r.count, 0),
      risky: rows.reduce((n, r) => n + (r.risky ?? 0), 0),
      hourly,
      sparkline: sparkline(hourly),
      byAccount,
      bySource: countBy(rows, (r) => r.source, (r) => r.count).map(({ key, count }) => ({ source: key, count })),
    },
    cards: { total: cards.length, byLevel },
    decisions: {
      total: decisions.length,
      byOutcome: countBy(decisions, (d) => OUTCOME_OF[d.action] ?? 'other').map(({ key, count }) => ({ outcome: key as DecisionOutcome, count })),
      ignoreReasons: countBy(decisions.filter((d) => d.action === 'ignore'), (d) => d.reason ?? 'unknown').map(({ key, count }) => ({ reason: key, count })),
    },
    onTime: { high, critical, both: { judged: bothJudged, within: bothWithin, share: bothJudged === 0 ? null : bothWithin / bothJudged } },
    openRisks: { open: risks.length, overdue },
    crises: {
      opened: data.crises.filter((c) => inWindow(c.openedAt)),
      closed: data.crises.filter((c) => c.closedAt !== null && inWindow(c.closedAt)),
      stillOpen: data.crises.filter((c) => c.closedAt === null),
    },
    badBuzz: data.clusters.filter((c) => !c.praise).sort(byScore).slice(0, top),
    goodBuzz: data.clusters.filter((c) => c.praise).sort(byScore).slice(0, top),
    spikes: data.spikes.filter((s) => inWindow(s.at)).sort((a, b) => a.at.getTime() - b.at.getTime()),
    templatesDue: data.templates
      .map((t) => ({ id: t.id, title: t.title, owner: t.owner, freshness: templateFreshness(t, now), daysOverdue: daysOverdue(t, now) }))
      .filter((t): t is typeof t & { freshness: 'due' | 'expired' } => t.freshness !== 'fresh')
      .sort((a, b) => (a.freshness === b.freshness ? b.daysOverdue - a.daysOverdue : a.freshness === 'expired' ? -1 : 1)),
  };
}
