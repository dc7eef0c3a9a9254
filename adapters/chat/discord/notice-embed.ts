import { type APIButtonComponent, type APIEmbed, ButtonStyle } from 'discord.js';
import type { Locale, Notice, NoticeSection } from '../../../src/chat/card.js';
import type { RenderedMessage } from './card-embed.js';
import { button, buttonRows } from './components.js';
import { noticeCustomId } from './custom-ids.js';
import { descriptionBudget, fitLines } from './embed-budget.js';
import { fitMarkdown, neutralise, neutraliseUpTo, safeUrl } from './escape.js';
import { DiscordLimits, LEVEL_COLOUR, LEVEL_EMOJI } from './limits.js';
import { footerText } from './message-key.js';
import { messagesFor } from './messages.js';

/** Neutral colour for notices without a level (thread notes, digests). */
const NOTICE_COLOUR = 0x5865f2;

/**
 * Renders a notice (thread note, digest, storm list, checklist, command answer) as one embed: the
 * sections go in the description (4,096 characters, more room than 1,024-character fields), cut with
 * "… (+N)" when they do not fit; buttons five to a row, at most five rows.
 */
export function renderNotice(notice: Notice, options: { key?: string | undefined; locale?: Locale } = {}): RenderedMessage {
  const m = messagesFor(options.locale);
  const emoji = notice.level ? `${LEVEL_EMOJI[notice.level]} ` : '';
  const footer = footerText(options.key, notice.footer);
  const embed: APIEmbed = {
    title: fitMarkdown(`${emoji}${notice.title}`, DiscordLimits.embedTitle),
    color: notice.level ? LEVEL_COLOUR[notice.level] : NOTICE_COLOUR,
    ...(footer ? { footer: { text: footer } } : {}),
  };
  const lines = notice.sections.flatMap(sectionLines);
  const description = fitLines(lines, descriptionBudget(embed), m.more);
  const pingRoles = (notice.ping ?? []).filter((id) => /^\d{17,20}$/.test(id)).slice(0, 10);
  return { embeds: [description ? { ...embed, description } : embed], components: noticeButtons(notice), ...(pingRoles.length ? { pingRoles } : {}) };
}

function sectionLines(section: NoticeSection): string[] {
  const out: string[] = [];
  if (section.heading) out.push(`**${fitMarkdown(section.heading, 256)}**`);
  out.push(...section.lines.map((line) => neutraliseUpTo(line, DiscordLimits.embedDescription)));
  const links = (section.links ?? [])
    .map((link) => {
      const url = safeUrl(link.url);
      // Our own masked link: the label is defused, brackets removed; `(`/`)` in the URL are encoded
      // so the URL cannot end the link early. `<…>` around it stops any preview.
      const text = neutralise(link.label).replace(/[[\]]/g, '');
      return url ? `[${text || url}](<${url.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/>/g, '%3E')}>)` : text;
    })
    .join('  ·  ');
  if (links) out.push(links);
  return out;
}

function noticeButtons(notice: Notice): RenderedMessage['components'] {
  const seen = new Set<string>();
  const buttons: APIButtonComponent[] = [];
  for (const b of notice.buttons ?? []) {
    const id = noticeCustomId(b.id);
    // A custom id must be unique in a message and at most 100 characters: other buttons are dropped.
    if (!id || seen.has(id)) continue;
    seen.add(id);
    buttons.push(button(id, b.label, ButtonStyle.Secondary));
  }
  return buttonRows(buttons, DiscordLimits.actionRows);
}
