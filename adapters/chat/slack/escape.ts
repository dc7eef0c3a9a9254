import { safeUrl as safeHttpUrl } from '../../../src/chat/safe-url.js';
/**
 * Outside text (mentions, author names, bios, reasons) must reach Slack as text. Slack parses `<…>`
 * control sequences (`<!channel>`, `<@U…>`, `<https://x|label>`) in every text field, so `&`, `<`, `>`
 * are always escaped; mrkdwn formatting characters are additionally defused where outside text has to
 * sit in a mrkdwn field. https://docs.slack.dev/messaging/formatting-message-text#escaping
 */

const ELLIPSIS = '…';

export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts `text` (already escaped) to at most `max` UTF-16 units, ending with an ellipsis, without
 * splitting an `&lt;` entity or a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - ELLIPSIS.length);
  const amp = text.lastIndexOf('&', cut);
  if (amp !== -1 && amp > cut - 5 && text.indexOf(';', amp) >= cut) cut = amp;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return text.slice(0, cut) + ELLIPSIS;
}

/** Escapes then fits: the order matters, as escaping lengthens the text. */
export function fitText(text: string, max: number): string {
  return truncate(escapeSlack(text), max);
}

/**
 * For outside text inside a mrkdwn field: escaped, and the formatting characters `* _ ~ \``
 * followed by a zero-width joiner so they cannot open or close a span.
 */
export function defuseMrkdwn(text: string): string {
  return escapeSlack(text).replace(/([*_~`])/g, '$1\u2060');
}

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji: boolean;
}
export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
  verbatim: boolean;
}

/** A plain_text object for outside text: escaped, fitted, no `:emoji:` shortcodes from strangers. */
export function plain(text: string, max: number, options: { emoji?: boolean } = {}): PlainText {
  const fitted = fitText(text, max);
  return { type: 'plain_text', text: fitted === '' ? ' ' : fitted, emoji: options.emoji ?? false };
}

/**
 * A mrkdwn object for text we composed ourselves from escaped parts. `verbatim: true` stops Slack from
 * turning bare channel names or URLs in it into links.
 */
export function mrkdwn(text: string, max: number): Mrkdwn {
  return { type: 'mrkdwn', text: truncate(text, max) || ' ', verbatim: true };
}

/** Slack shows links up to 3,000 characters. */
export function safeUrl(url: string | null | undefined): string | null {
  return safeHttpUrl(url, 3_000);
}
