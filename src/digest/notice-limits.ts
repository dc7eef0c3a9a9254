import type { Notice, NoticeSection } from '../chat/card.js';

/**
 * Platform limits a notice must respect whatever the data: Slack allows 50 blocks per message and
 * 3,000 characters per text block; Discord 25 embed fields of 1,024. A notice stays well inside both.
 */
export const NOTICE_LIMITS = {
  maxSections: 45,
  maxLineChars: 300,
  maxLinesPerSection: 12,
  maxLinks: 10,
  maxButtons: 25,
} as const;

/** Cuts a text from the outside world to one line of at most `max` characters. */
export function clip(text: string, max: number = NOTICE_LIMITS.maxLineChars): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const chars = [...one];
  return chars.length <= max ? one : `${chars.slice(0, max - 1).join('')}…`;
}

/** Keeps the first lines and says how many were left out ("+3 more"). */
export function capLines(lines: readonly string[], max: number, more: (n: number) => string): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max - 1), more(lines.length - max + 1)];
}

/** Last line of defence: clips every line, caps sections, lines, links and buttons. */
export function enforceNoticeLimits(notice: Notice, more: (n: number) => string): Notice {
  const section = (s: NoticeSection): NoticeSection => ({
    ...(s.heading !== undefined ? { heading: clip(s.heading, 150) } : {}),
    lines: capLines(s.lines.map((l) => clip(l)), NOTICE_LIMITS.maxLinesPerSection, more),
    ...(s.links ? { links: s.links.slice(0, NOTICE_LIMITS.maxLinks).map((l) => ({ label: clip(l.label, 80), url: l.url })) } : {}),
  });
  return {
    ...notice,
    title: clip(notice.title, 150),
    sections: notice.sections.slice(0, NOTICE_LIMITS.maxSections).map(section),
    ...(notice.buttons ? { buttons: notice.buttons.slice(0, NOTICE_LIMITS.maxButtons) } : {}),
    ...(notice.footer !== undefined ? { footer: clip(notice.footer) } : {}),
  };
}
