import type { APIEmbed } from 'discord.js';
import { truncate } from './escape.js';
import { DiscordLimits } from './limits.js';

/** The characters an embed counts against Discord's 6,000 total. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/**
 * Joins outside lines (already defused) into at most `max` characters, ending with "… (+N)" when
 * some did not fit, so a long list says that it was cut instead of silently losing items.
 */
export function fitLines(lines: readonly string[], max: number, more: (n: number) => string, prefix = ''): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const line = `${prefix}${lines[i]}`;
    const remaining = lines.length - i - 1;
    // Room is kept for the "… (+N)" line that would follow if the next line does not fit.
    const reserve = remaining > 0 ? more(remaining).length + 1 : 0;
    const separator = out.length > 0 ? 1 : 0;
    if (size + separator + line.length + reserve <= max) {
      out.push(line);
      size += separator + line.length;
      continue;
    }
    if (out.length === 0) {
      const tail = remaining > 0 ? `\n${more(remaining)}` : '';
      return truncate(line, Math.max(0, max - tail.length)) + tail;
    }
    return `${out.join('\n')}\n${more(lines.length - out.length)}`;
  }
  return out.join('\n');
}

/** What is left of the 6,000 total for the description, given everything else in the embed. */
export function descriptionBudget(embedWithoutDescription: APIEmbed): number {
  return Math.max(0, Math.min(DiscordLimits.embedDescription, DiscordLimits.embedTotal - embedLength(embedWithoutDescription)));
}
