import type { APIEmbed } from 'discord.js';
import { breakMentions, truncate } from './escape.js';
import { DiscordLimits } from './limits.js';

/**
 * The delivery key travels in the embed footer's last line (`Vigie · card:42:discord:…`). Discord
 * does not return a message's `nonce` when history is read, so the footer is the only place `find`
 * can read it back from. The platform remembers the key of the messages it posted so updates keep it.
 */
const LABEL = 'Vigie';
const SEPARATOR = ' · ';

/** The footer text: the notice's own footer (outside text, defused) and then the key line. */
export function footerText(key: string | undefined, footer?: string): string | undefined {
  const line = key ? `${LABEL}${SEPARATOR}${key}` : undefined;
  const own = footer ? breakMentions(footer) : undefined;
  if (!line) return own ? truncate(own, DiscordLimits.footerText) : undefined;
  if (!own) return truncate(line, DiscordLimits.footerText);
  return `${truncate(own, Math.max(0, DiscordLimits.footerText - line.length - 1))}\n${line}`;
}

/** The key a message was posted with, if it is one of ours. */
export function keyOf(embeds: readonly APIEmbed[] | undefined): string | null {
  for (const embed of embeds ?? []) {
    const last = embed.footer?.text.split('\n').at(-1);
    if (last?.startsWith(`${LABEL}${SEPARATOR}`)) return last.slice(LABEL.length + SEPARATOR.length);
  }
  return null;
}
