import type { Locale, Notice, NoticeSection } from '../chat/card.js';
import { LEVELS } from '../core/levels.js';
import { capLines, clip, enforceNoticeLimits } from '../digest/notice-limits.js';
import { formatDateTime, formatDuration, formatTime } from '../i18n/format.js';
import { messages } from '../i18n/messages.js';
import { buildCrisisReport, type CrisisReportData, type CrisisReportModel, type TimelineEntry } from './report.js';

const TIMELINE_LINES = 12;

export function timelineLine(t: TimelineEntry, locale: Locale, timeZone: string): string {
  const m = messages(locale).crisis.report;
  return `${formatTime(t.at, locale, timeZone)} · ${m.kind[t.kind]}${t.actorName ? ` (${t.actorName})` : ''}${messages(locale).colon}${clip(t.text, 200)}`;
}

/** Shared facts of the report, one line each, for both renderings. */
export function reportFacts(model: CrisisReportModel, locale: Locale, timeZone: string): string[] {
  const m = messages(locale).crisis.report;
  const c = model.crisis;
  return [
    m.opened(formatDateTime(c.openedAt, locale, timeZone), c.openedBy),
    c.closedAt ? m.closed(formatDateTime(c.closedAt, locale, timeZone), c.closedBy ?? '?') : m.stillOpen,
    m.duration(formatDuration(model.durationMs, locale)),
    ...(c.site || c.severity ? [m.scope(c.site, c.severity)] : []),
    ...(c.summary ? [m.summary(clip(c.summary, 250))] : []),
  ];
}

export function decisionFacts(model: CrisisReportModel, locale: Locale): string[] {
  const m = messages(locale).crisis.report;
  const levels = messages(locale).level;
  const lines = [
    m.cards(model.cards.total, LEVELS.filter((l) => model.cards.byLevel[l] > 0).reverse().map((l) => `${levels[l]} ${model.cards.byLevel[l]}`).join(', ')),
    m.decisions(model.decisions.total, Object.entries(model.decisions.byAction).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([a, n]) => `${m.action[a] ?? a} ${n}`).join(', ')),
    model.firstDecision ? m.firstDecision(formatDuration(model.firstDecision.afterOpenMs, locale), model.firstDecision.actorName) : m.noDecision,
  ];
  if (model.perCard.decided > 0) lines.push(m.perCard(model.perCard.decided, model.cards.total, formatDuration(model.perCard.medianMs!, locale), formatDuration(model.perCard.maxMs!, locale)));
  if (model.perCard.undecided > 0) lines.push(m.undecided(model.perCard.undecided));
  return lines;
}

/** The close report posted in the crisis channel. */
export function crisisReportNotice(input: CrisisReportData | CrisisReportModel, locale: Locale, timeZone = 'Europe/Paris'): Notice {
  const model = 'durationMs' in input ? input : buildCrisisReport(input);
  const m = messages(locale).crisis.report;
  const more = messages(locale).more;
  const v = model.volume;
  const sections: NoticeSection[] = [
    { lines: reportFacts(model, locale, timeZone) },
    {
      heading: m.volumeHeading(v.bucketMinutes),
      lines: [
        v.sparkline,
        `${formatTime(v.start, locale, timeZone)} → ${formatTime(model.end, locale, timeZone)} · ${m.volumeTotal(v.total)}${v.peak ? ` · ${m.peak(v.peak.count, formatTime(v.peak.at, locale, timeZone))}` : ''}`,
      ],
    },
    { heading: m.decisionsHeading, lines: decisionFacts(model, locale) },
    { heading: m.timelineHeading, lines: capLines(model.timeline.map((t) => timelineLine(t, locale, timeZone)), TIMELINE_LINES, more) },
  ];
  if (model.relays.length > 0) {
    sections.push({
      heading: m.relaysHeading,
      lines: capLines(model.relays.map((r) => `${formatTime(r.at, locale, timeZone)} · ${clip(r.text, 220)}`), TIMELINE_LINES, more),
      links: model.relays.filter((r) => r.url).map((r, i) => ({ label: m.relayLink(i + 1), url: r.url! })),
    });
  }
  return enforceNoticeLimits({ title: m.title(model.crisis.id, model.crisis.title), level: model.crisis.severity === 1 ? 'critical' : 'high', sections, footer: m.footer(model.crisis.id) }, more);
}
