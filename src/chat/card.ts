import type { Level } from '../core/levels.js';

/**
 * The platform-neutral card: one per cluster (story). Every chat adapter renders this same shape;
 * all text in it is plain text straight from the outside world, and each adapter escapes it for its
 * own markup.
 */

export const TICKET_STATUSES = ['open', 'assigned', 'replied', 'ignored', 'resolved'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const IGNORE_REASONS = ['off-topic', 'troll', 'duplicate', 'handled'] as const;
export type IgnoreReason = (typeof IGNORE_REASONS)[number];

export type Locale = 'fr' | 'en';
export type Platform = 'console' | 'slack' | 'discord';

export interface CardDecision {
  action: string;
  actorId: string;
  actorName: string;
  platform: Platform | 'system';
  at: Date;
  /** Team label, template id, ignore reason… already in the card's locale. */
  detail: string | null;
}

export interface CardOption {
  id: string;
  label: string;
}

export interface Card {
  ticketId: number;
  /** Ticket version: actions carry it, so a stale click is detected. */
  version: number;
  locale: Locale;
  level: Level;
  category: string | null;
  score: number;
  text: string;
  url: string | null;
  author: { handle: string; name: string | null; followers: number | null; source: string };
  account: string | null;
  accountLabel: string | null;
  reasons: string[];
  /** Mentions in the story beyond the one shown. */
  similarCount: number;
  /** Counts per time bucket, oldest first (a small sparkline). */
  trend: number[];
  status: TicketStatus;
  team: CardOption | null;
  lastDecision: CardDecision | null;
  /** Hints shown above the actions, e.g. "consider not replying" or "came back: +40 since ignored". */
  notices: string[];
  teams: CardOption[];
  templates: CardOption[];
  ignoreReasons: CardOption[];
  /** Which actions the card offers in its current state. */
  actions: ReadonlyArray<'assign' | 'reply' | 'ignore' | 'author' | 'reopen' | 'resolve'>;
}

/** A message that is not a card: thread notes, digests, storm lists, crisis checklists, reports. */
export interface Notice {
  title: string;
  level?: Level;
  sections: NoticeSection[];
  /** Buttons: ids are opaque to the adapter and come back through `ChatInbound.button`. */
  buttons?: CardOption[];
  footer?: string;
  /**
   * Who to notify on purpose (escalation to a team lead group): Slack user-group or user ids, Discord
   * role ids, from the configuration only, never from outside text. Adapters render these as real
   * mentions; everything else stays ping-free.
   */
  ping?: readonly string[];
}

export interface NoticeSection {
  heading?: string;
  lines: string[];
  links?: Array<{ label: string; url: string }>;
}
