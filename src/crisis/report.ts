import type { TicketStatus } from '../chat/card.js';
import { LEVELS, type Level, levelRank } from '../core/levels.js';
import { sparkline } from '../chat/sparkline.js';
import type { CrisisHeader } from './checklist-notice.js';

/**
 * The close report of a crisis, computed from plain rows the caller reads: the crisis, its timeline
 * entries (crisis decisions), the mention volume of its stories, its cards and their decisions.
 * The same model renders as a chat notice (report-notice.ts) and as Markdown (report-markdown.ts).
 */

export type TimelineKind = 'open' | 'update' | 'relay' | 'step' | 'hold' | 'attach' | 'note' | 'close';

export interface TimelineEntry {
  at: Date;
  kind: TimelineKind;
  actorName: string | null;
  /** Plain text; for `step` the step label, for `attach` the story's text. */
  text: string;
  url?: string | null | undefined;
}

export interface CrisisReportData {
  crisis: CrisisHeader & { closedAt: Date | null; openedBy: string; closedBy?: string | null | undefined; summary?: string | null | undefined };
  timeline: readonly TimelineEntry[];
  /** Mentions of the crisis stories: one row per mention (`count: 1`) or pre-aggregated per bucket. */
  volume: ReadonlyArray<{ at: Date; count: number }>;
  cards: ReadonlyArray<{ ticketId: number; level: Level; status: TicketStatus; openedAt: Date; firstDecisionAt: Date | null; text?: string | null | undefined; url?: string | null | undefined }>;
  decisions: ReadonlyArray<{ ticketId: number; action: string; actorName: string; at: Date; detail?: string | null | undefined }>;
}

export interface VolumeCurve {
  bucketMinutes: number;
  /** Start of the first bucket (aligned on the bucket size, UTC). */
  start: Date;
  counts: number[];
  total: number;
  peak: { at: Date; count: number } | null;
  sparkline: string;
}

export interface CrisisReportModel {
  crisis: CrisisReportData['crisis'];
  /** Until closing, or until the last event for a report previewed while still open. */
  end: Date;
  durationMs: number;
  timeline: TimelineEntry[];
  relays: TimelineEntry[];
  volume: VolumeCurve;
  cards: {
    total: number;
    byLevel: Record<Level, number>;
    byStatus: Partial<Record<TicketStatus, number>>;
    /** Most severe first, then by opening. */
    list: CrisisReportData['cards'][number][];
  };
  decisions: { total: number; byAction: Record<string, number>; list: CrisisReportData['decisions'][number][] };
  /** First decision on any crisis card, and how long after the crisis opened. */
  firstDecision: { at: Date; afterOpenMs: number; actorName: string } | null;
  /** Per card: time from the later of card opening and crisis opening to its first decision. */
  perCard: { decided: number; undecided: number; medianMs: number | null; maxMs: number | null };
}

const BASE_BUCKET_MINUTES = 15;
/** Beyond this many buckets the bucket doubles: a three-day crisis still fits one line. */
const MAX_BUCKETS = 96;

export function volumeCurve(rows: ReadonlyArray<{ at: Date; count: number }>, from: Date, to: Date): VolumeCurve {
  const first = Math.min(from.getTime(), ...rows.map((r) => r.at.getTime()));
  const last = Math.max(to.getTime(), ...rows.map((r) => r.at.getTime()));
  let minutes = BASE_BUCKET_MINUTES;
  while ((last - first) / 60_000 / minutes > MAX_BUCKETS) minutes *= 2;
  const size = minutes * 60_000;
  const startMs = Math.floor(first / size) * size;
  const counts = new Array<number>(Math.floor((last - startMs) / size) + 1).fill(0);
  for (const r of rows) {
    const i = Math.floor((r.at.getTime() - startMs) / size);
    counts[i] = (counts[i] ?? 0) + r.count;
  }
  let peak: VolumeCurve['peak'] = null;
  counts.forEach((c, i) => {
    if (c > 0 && (peak === null || c > peak.count)) peak = { at: new Date(startMs + i * size), count: c };
  });
  return { bucketMinutes: minutes, start: new Date(startMs), counts, total: counts.reduce((a, b) => a + b, 0), peak, sparkline: sparkline(counts) };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

export function buildCrisisReport(data: CrisisReportData): CrisisReportModel {
  const { crisis } = data;
  const timeline = [...data.timeline].sort((a, b) => a.at.getTime() - b.at.getTime());
  const lastEvent = Math.max(crisis.openedAt.getTime(), ...timeline.map((t) => t.at.getTime()), ...data.decisions.map((d) => d.at.getTime()));
  const end = crisis.closedAt ?? new Date(lastEvent);

  const byLevel = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  const byStatus: Partial<Record<TicketStatus, number>> = {};
  for (const c of data.cards) {
    byLevel[c.level]++;
    byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  }
  const byAction: Record<string, number> = {};
  for (const d of data.decisions) byAction[d.action] = (byAction[d.action] ?? 0) + 1;

  const decisions = [...data.decisions].sort((a, b) => a.at.getTime() - b.at.getTime());
  const firstAfterOpen = decisions.find((d) => d.at.getTime() >= crisis.openedAt.getTime());
  const waits = data.cards
    .filter((c) => c.firstDecisionAt !== null)
    .map((c) => c.firstDecisionAt!.getTime() - Math.max(c.openedAt.getTime(), crisis.openedAt.getTime()))
    .map((ms) => Math.max(0, ms));

  return {
    crisis,
    end,
    durationMs: end.getTime() - crisis.openedAt.getTime(),
    timeline,
    relays: timeline.filter((t) => t.kind === 'relay'),
    volume: volumeCurve(data.volume, crisis.openedAt, end),
    cards: {
      total: data.cards.length,
      byLevel,
      byStatus,
      list: [...data.cards].sort((a, b) => levelRank(b.level) - levelRank(a.level) || a.openedAt.getTime() - b.openedAt.getTime()),
    },
    decisions: { total: decisions.length, byAction, list: decisions },
    firstDecision: firstAfterOpen ? { at: firstAfterOpen.at, afterOpenMs: firstAfterOpen.at.getTime() - crisis.openedAt.getTime(), actorName: firstAfterOpen.actorName } : null,
    perCard: { decided: waits.length, undecided: data.cards.length - waits.length, medianMs: median(waits), maxMs: waits.length > 0 ? Math.max(...waits) : null },
  };
}
