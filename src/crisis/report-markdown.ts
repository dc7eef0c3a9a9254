import type { Locale } from '../chat/card.js';
import { formatDateTime, formatDuration, formatTime } from '../i18n/format.js';
import { messages } from '../i18n/messages.js';
import { buildCrisisReport, type CrisisReportData, type CrisisReportModel } from './report.js';
import { decisionFacts, reportFacts } from './report-notice.js';

/** Outside text in a Markdown file: no headings, links, HTML or table breaks can be smuggled in. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/([\\`*_{}[\]()<>#+!|~])/g, '\\$1').trim();
}

/** The stored, exportable report (`vigie crisis report ID`): everything, no caps. */
export function renderCrisisReportMarkdown(input: CrisisReportData | CrisisReportModel, locale: Locale, timeZone = 'Europe/Paris'): string {
  const model = 'durationMs' in input ? input : buildCrisisReport(input);
  const m = messages(locale).crisis.report;
  const levels = messages(locale).level;
  const statuses = messages(locale).status;
  const out: string[] = [];
  out.push(`# ${escapeMarkdown(m.title(model.crisis.id, model.crisis.title))}`, '');
  for (const line of reportFacts(model, locale, timeZone)) out.push(`- ${escapeMarkdown(line)}`);
  out.push('', `## ${m.volumeHeading(model.volume.bucketMinutes)}`, '', `\`${model.volume.sparkline}\``, '');
  out.push(`| ${m.table.time} | ${m.table.mentions} |`, '|---|---:|');
  const size = model.volume.bucketMinutes * 60_000;
  model.volume.counts.forEach((count, i) => {
    if (count > 0) out.push(`| ${formatDateTime(new Date(model.volume.start.getTime() + i * size), locale, timeZone)} | ${count} |`);
  });
  out.push('', `## ${m.decisionsHeading}`, '');
  for (const line of decisionFacts(model, locale)) out.push(`- ${escapeMarkdown(line)}`);
  if (model.cards.list.length > 0) {
    out.push('', `| ${m.table.ticket} | ${m.table.level} | ${m.table.status} | ${m.table.opened} | ${m.table.firstDecision} | ${m.table.text} |`, '|---:|---|---|---|---|---|');
    for (const c of model.cards.list) {
      const wait = c.firstDecisionAt ? formatDuration(c.firstDecisionAt.getTime() - Math.max(c.openedAt.getTime(), model.crisis.openedAt.getTime()), locale) : '—';
      const text = c.text ? escapeMarkdown(c.text.slice(0, 140)) : '';
      out.push(`| #${c.ticketId} | ${levels[c.level]} | ${statuses[c.status]} | ${formatTime(c.openedAt, locale, timeZone)} | ${wait} | ${c.url ? `[${text || c.url}](${encodeURI(c.url)})` : text} |`);
    }
  }
  out.push('', `## ${m.timelineHeading}`, '');
  // Crisis events and card decisions in one chronology: that is what a debrief walks through.
  const events: Array<{ at: number; line: string }> = [
    ...model.timeline.map((t) => ({
      at: t.at.getTime(),
      line: `- **${formatTime(t.at, locale, timeZone)}** ${m.kind[t.kind]}${t.actorName ? ` (${escapeMarkdown(t.actorName)})` : ''}${messages(locale).colon}${escapeMarkdown(t.text)}${t.url ? ` — <${encodeURI(t.url)}>` : ''}`,
    })),
    ...model.decisions.list.map((d) => ({
      at: d.at.getTime(),
      line: `- **${formatTime(d.at, locale, timeZone)}** #${d.ticketId} ${m.action[d.action] ?? escapeMarkdown(d.action)} (${escapeMarkdown(d.actorName)})${d.detail ? `${messages(locale).colon}${escapeMarkdown(d.detail)}` : ''}`,
    })),
  ];
  for (const e of events.sort((a, b) => a.at - b.at)) out.push(e.line);
  if (model.relays.length > 0) {
    out.push('', `## ${m.relaysHeading}`, '');
    for (const r of model.relays) out.push(`- **${formatTime(r.at, locale, timeZone)}** ${escapeMarkdown(r.text)}${r.url ? ` — <${encodeURI(r.url)}>` : ''}`);
  }
  out.push('', `_${m.footer(model.crisis.id)}_`, '');
  return out.join('\n');
}
