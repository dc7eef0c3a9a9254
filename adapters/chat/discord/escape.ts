import { safeUrl as safeHttpUrl } from '../../../src/chat/safe-url.js';
import { escapeMarkdown } from 'discord.js';

/**
 * Outside text (mentions, author names, reasons, team labels typed by admins) must reach Discord as
 * text. Two layers, both always applied:
 * 1. every message carries `allowed_mentions: { parse: [] }`, so even a mention that slipped through
 *    notifies nobody;
 * 2. the text itself is defused so it does not even *look* like a mention or a link: a zero-width
 *    space after `@` and `<` breaks `@everyone`, `@here`, `<@123>`, `<@&123>`, `<#123>`, `<t:…>` and
 *    `</cmd:id>`; markdown is escaped with discord.js's `escapeMarkdown` (headings, lists and masked
 *    links included, which it leaves alone by default), and `](` is split so `[innocent](https://evil)`
 *    can never render as a masked link.
 */

const ZWSP = '\u200b';
const ELLIPSIS = '…';

/** Breaks mention and tag syntax; for text that is not rendered as markdown (labels, footers, names). */
export function breakMentions(text: string): string {
  return text.replace(/@/g, `@${ZWSP}`).replace(/</g, `<${ZWSP}`);
}

/** For outside text in a markdown field (embed description, field value, title). */
export function neutralise(text: string): string {
  const escaped = escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true })
    // Block quotes and `-# ` subtext are markdown too, and escapeMarkdown does not know them.
    .replace(/^(\s*)(>|-#)/gm, '$1\\$2')
    .replace(/\]\(/g, `]${ZWSP}(`);
  return breakMentions(escaped);
}

/**
 * Cuts `text` to at most `max` UTF-16 units, ending with an ellipsis, without splitting a surrogate
 * pair or leaving a lone backslash that would escape the ellipsis.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  let cut = max - ELLIPSIS.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  while (cut > 0 && text[cut - 1] === '\\') cut -= 1;
  return text.slice(0, cut) + ELLIPSIS;
}

/**
 * Neutralises then fits: the order matters, as escaping lengthens the text. Only the part that can
 * be shown is escaped: escapeMarkdown's patterns take seconds on a 50,000-character text.
 */
export function fitMarkdown(text: string, max: number): string {
  return truncate(neutralise(text.slice(0, max + 1)), max);
}

/** Neutralises at most the first `max + 1` characters: enough for a caller that then cuts at `max`. */
export function neutraliseUpTo(text: string, max: number): string {
  return neutralise(text.slice(0, max + 1));
}

/** A label (button, option, placeholder): Discord does not render markdown there, so only mentions are broken. */
export function label(text: string, max: number): string {
  const fitted = truncate(breakMentions(text.replace(/\s+/g, ' ').trim()), max);
  return fitted === '' ? '—' : fitted;
}

/** Link buttons and embed URLs take at most 512 characters. */
export function safeUrl(url: string | null | undefined): string | null {
  return safeHttpUrl(url, 512);
}
