import type { Locale, Notice, NoticeSection } from '../chat/card.js';
import { LEVELS } from '../core/levels.js';
import { formatDateTime, formatDuration, formatNumber, formatPercent } from '../i18n/format.js';
import { messages } from '../i18n/messages.js';
import type { DigestModel, OnTime } from './compute.js';
import { capLines, clip, enforceNoticeLimits, NOTICE_LIMITS } from './notice-limits.js';

/** The daily digest as one notice, within every platform's limits whatever the day brought. */
export function renderDigestNotice(model: DigestModel, locale: Locale = model.locale): Notice {
  const m = messages(locale).digest;
  const levels = messages(locale).level;
  const more = messages(locale).more;
  const tz = model.timeZone;
  const n = (x: number) => formatNumber(x, locale);
  const cap = (lines: string[]) => capLines(lines, NOTICE_LIMITS.maxLinesPerSection, more);
  const sections: NoticeSection[] = [];

  const v = model.volume;
  sections.push({
    heading: m.volume,
    lines: cap([
      m.volumeTotal(n(v.total), n(v.risky), v.bySource.map((s) => `${s.source} ${n(s.count)}`).join(', ')),
      `${v.sparkline} ${m.perHour}`,
      ...v.byAccount.map((a) => `${a.sparkline} ${a.label} — ${n(a.total)} (${a.bySource.map((s) => `${s.source} ${n(s.count)}`).join(', ')})`),
    ]),
  });

  const c = model.cards;
  sections.push({
    heading: m.cards,
    lines: [c.total === 0 ? m.noCards : `${n(c.total)} — ${[...LEVELS].reverse().filter((l) => c.byLevel[l] > 0).map((l) => `${levels[l]} ${n(c.byLevel[l])}`).join(' · ')}`],
  });

  const d = model.decisions;
  sections.push({
    heading: m.decisions,
    lines: [
      d.total === 0 ? m.noDecisions : `${n(d.total)} — ${d.byOutcome.map((o) => `${m.outcome[o.outcome]} ${n(o.count)}`).join(' · ')}`,
      ...(d.ignoreReasons.length > 0 ? [m.ignoreReasons(d.ignoreReasons.map((r) => `${messages(locale).ignoreReason[r.reason] ?? r.reason} ${n(r.count)}`).join(', '))] : []),
    ],
  });

  const line = (label: string, o: OnTime) =>
    o.judged === 0 ? m.onTimeNone(label, o.targetMinutes) : m.onTimeLine(label, o.within, o.judged, o.targetMinutes, formatPercent(o.share!, locale));
  const t = model.onTime;
  sections.push({
    heading: m.onTime,
    lines: [
      line(levels.critical, t.critical),
      line(levels.high, t.high),
      ...(t.both.share !== null ? [m.onTimeBoth(t.both.within, t.both.judged, formatPercent(t.both.share, locale))] : []),
      ...(t.high.pending + t.critical.pending > 0 ? [m.pending(t.high.pending + t.critical.pending)] : []),
    ],
  });

  const r = model.openRisks;
  const riskLinks = r.overdue.filter((x) => x.url).slice(0, NOTICE_LIMITS.maxLinks);
  sections.push({
    heading: m.openRisks(r.overdue.length, r.open),
    lines:
      r.overdue.length === 0
        ? [m.noOpenRisks]
        : cap(r.overdue.map((x) => `#${x.ticketId} ${levels[x.level]} · ${m.openSince(formatDuration(x.ageMs, locale))} · ${messages(locale).status[x.status]}${x.category ? ` · ${x.category}` : ''}${x.text ? ` · « ${clip(x.text, 120)} »` : ''}`)),
    ...(riskLinks.length > 0 ? { links: riskLinks.map((x) => ({ label: `#${x.ticketId}`, url: x.url! })) } : {}),
  });

  const cr = model.crises;
  const crisisLine = (x: DigestModel['crises']['opened'][number]) => `#${x.id} ${clip(x.title, 120)}${x.site ? ` (${x.site})` : ''}`;
  sections.push({
    heading: m.crises,
    lines:
      cr.opened.length + cr.closed.length + cr.stillOpen.length === 0
        ? [m.noCrisis]
        : cap([
            ...cr.opened.map((x) => m.crisisOpened(crisisLine(x), formatDateTime(x.openedAt, locale, tz))),
            ...cr.closed.map((x) => m.crisisClosed(crisisLine(x), formatDateTime(x.closedAt!, locale, tz))),
            ...cr.stillOpen.filter((x) => !cr.opened.includes(x)).map((x) => m.crisisStillOpen(crisisLine(x))),
          ]),
  });

  const buzz = (list: DigestModel['badBuzz'], heading: string, none: string): NoticeSection => ({
    heading,
    lines: list.length === 0 ? [none] : cap(list.map((s, i) => `${i + 1}. « ${clip(s.sampleText, 160)} » — ${m.buzzFacts(n(s.count), formatNumber(Math.round(s.velocity * 10) / 10, locale), s.score)}${s.category ? ` · ${s.category}` : ''}`)),
    ...(list.some((s) => s.url) ? { links: list.flatMap((s, i) => (s.url ? [{ label: `${i + 1}`, url: s.url }] : [])).slice(0, NOTICE_LIMITS.maxLinks) } : {}),
  });
  sections.push(buzz(model.badBuzz, m.badBuzz, m.noBuzz));
  sections.push(buzz(model.goodBuzz, m.goodBuzz, m.noBuzz));

  if (model.spikes.length > 0) {
    sections.push({ heading: m.spikes, lines: cap(model.spikes.map((s) => m.spikeLine(formatDateTime(s.at, locale, tz), clip(s.subject, 80), n(s.count), s.account ?? null))) });
  }
  sections.push({
    heading: m.templates,
    lines: model.templatesDue.length === 0 ? [m.noTemplates] : cap(model.templatesDue.map((x) => m.templateLine(x.id, clip(x.owner, 80), x.freshness, x.daysOverdue))),
  });

  return enforceNoticeLimits(
    {
      title: m.title(formatDateTime(model.window.from, locale, tz), formatDateTime(model.window.to, locale, tz)),
      ...(model.openRisks.overdue.some((x) => x.level === 'critical') || model.crises.stillOpen.length > 0 ? { level: 'high' as const } : {}),
      sections,
      footer: m.footer,
    },
    more,
  );
}
