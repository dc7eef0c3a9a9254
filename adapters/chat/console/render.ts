import type { Card, Notice } from '../../../src/chat/card.js';
import type { Level } from '../../../src/core/levels.js';
import { sparkline } from '../../../src/chat/sparkline.js';

/**
 * Outside text reaches a terminal here: control characters (ANSI escapes, bell, OSC hyperlinks,
 * carriage returns that overwrite lines) are replaced so a mention cannot repaint the screen.
 */
export function plain(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '�');
}

const LEVEL_MARK: Record<Level, string> = { none: '·', watch: '●', high: '▲', critical: '■' };
const COLOR: Record<Level, string> = { none: '2', watch: '33', high: '35', critical: '31' };
/** A terminal card should stay readable: long texts are cut, not the whole feed. */
const MAX_TEXT = 1_000;
const MAX_LIST = 8;

function cut(text: string, max: number): string {
  const clean = plain(text);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function paint(color: boolean, code: string, text: string): string {
  return color ? `\x1b[${code}m${text}\x1b[0m` : text;
}

function formatTime(at: Date): string {
  return at.toISOString().slice(11, 16);
}

export function renderCard(card: Card, channel: string, color: boolean, updated: boolean): string {
  const fr = card.locale === 'fr';
  const head = `${LEVEL_MARK[card.level]} ${card.level.toUpperCase()}${card.category ? ` · ${cut(card.category, 60)}` : ''} · #${card.ticketId} · ${cut(statusText(card), 120)}`;
  const lines = [
    paint(color, `1;${COLOR[card.level]}`, `┌ #${plain(channel)} ${head}${updated ? (fr ? ' (mis à jour)' : ' (updated)') : ''}`),
    `│ ${cut(card.text, MAX_TEXT).replace(/\n/g, '\n│ ')}`,
    `│ — @${cut(card.author.handle, 80)}${card.author.name ? ` (${cut(card.author.name, 80)})` : ''}${card.author.followers !== null ? ` · ${card.author.followers} ${fr ? 'abonnés' : 'followers'}` : ''} · ${cut(card.author.source, 30)}${card.accountLabel ? ` → ${cut(card.accountLabel, 80)}` : ''}`,
  ];
  if (card.url) lines.push(`│ ${cut(card.url, 300)}`);
  if (card.reasons.length > 0) lines.push(`│ ${fr ? 'Pourquoi' : 'Why'}: ${card.reasons.slice(0, MAX_LIST).map((r) => cut(r, 120)).join(' · ')}`);
  if (card.similarCount > 0) lines.push(`│ +${card.similarCount} ${fr ? 'similaires' : 'similar'} ${sparkline(card.trend, 24)}`);
  for (const n of card.notices.slice(0, MAX_LIST)) lines.push(`│ ⚠ ${cut(n, 300)}`);
  if (card.lastDecision) {
    const d = card.lastDecision;
    lines.push(`│ ${fr ? 'Décision' : 'Decision'}: ${cut(d.detail ?? d.action, 200)} — ${cut(d.actorName, 80)} (${d.platform}) ${formatTime(d.at)} UTC`);
  }
  lines.push(`└ ${actionsHint(card)}`);
  return lines.join('\n');
}

function statusText(card: Card): string {
  return card.team ? `${card.status} → ${card.team.label}` : card.status;
}

function actionsHint(card: Card): string {
  const id = card.ticketId;
  const parts: string[] = [];
  for (const a of card.actions) {
    if (a === 'assign') parts.push(`assign ${id} <${card.teams.slice(0, MAX_LIST).map((t) => cut(t.id, 30)).join('|')}${card.teams.length > MAX_LIST ? '|…' : ''}>`);
    else if (a === 'reply') parts.push(`reply ${id} <${card.templates.slice(0, 3).map((t) => cut(t.id, 40)).join('|') || 'template'}>`);
    else if (a === 'ignore') parts.push(`ignore ${id} <${card.ignoreReasons.map((r) => cut(r.id, 20)).join('|')}>`);
    else parts.push(`${a} ${id}`);
  }
  return parts.join(' · ');
}

export function renderNotice(notice: Notice, channel: string, color: boolean, prefix: string): string {
  const lines = [paint(color, '1', `${prefix}#${plain(channel)} ${cut(notice.title, 200)}`)];
  for (const section of notice.sections.slice(0, 50)) {
    if (section.heading) lines.push(`  ${cut(section.heading, 200)}`);
    const shown = section.lines.slice(0, 40);
    for (const line of shown) lines.push(`    ${cut(line, 300)}`);
    if (section.lines.length > shown.length) lines.push(`    … +${section.lines.length - shown.length}`);
    for (const link of section.links?.slice(0, 10) ?? []) lines.push(`    ${cut(link.label, 100)}: ${cut(link.url, 300)}`);
  }
  if (notice.buttons?.length) lines.push(`  [${notice.buttons.slice(0, 10).map((b) => `press ${cut(b.id, 80)}`).join('] [')}]`);
  if (notice.footer) lines.push(`  ${cut(notice.footer, 200)}`);
  if (notice.ping?.length) lines.push(`  → ${notice.ping.map((id) => `@${cut(id, 40)}`).join(' ')}`);
  return lines.join('\n');
}
