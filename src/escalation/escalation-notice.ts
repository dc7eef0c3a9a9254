import type { Locale, Notice } from '../chat/card.js';
import type { Level } from '../core/levels.js';
import { formatDuration, formatTime } from '../i18n/format.js';
import { messages } from '../i18n/messages.js';

export interface EscalationNoticeInput {
  ticketId: number;
  level: Level;
  category: string | null;
  openedAt: Date;
  notify: 'lead' | 'crisis';
  /** The story's head text, shown as plain text (the adapter escapes it). */
  text?: string | null | undefined;
  url?: string | null | undefined;
  accountLabel?: string | null | undefined;
  teamLabel?: string | null | undefined;
}

/** The ping posted to the team lead group or the crisis cell when a ticket waits too long. */
export function escalationNotice(input: EscalationNoticeInput, now: Date, locale: Locale, timeZone = 'Europe/Paris'): Notice {
  const m = messages(locale).escalation;
  const waited = formatDuration(now.getTime() - input.openedAt.getTime(), locale);
  const facts = [
    m.waiting(waited, formatTime(input.openedAt, locale, timeZone)),
    [messages(locale).level[input.level], input.category, input.accountLabel, input.teamLabel].filter(Boolean).join(' · '),
  ];
  const text = input.text ? [`« ${input.text.replace(/\s+/g, ' ').slice(0, 280)} »`] : [];
  return {
    title: m.title(input.ticketId, input.notify),
    level: input.level,
    sections: [{ lines: [...facts, ...text, m.action[input.notify]], ...(input.url ? { links: [{ label: m.open, url: input.url }] } : {}) }],
  };
}
