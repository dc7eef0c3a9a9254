import type { IgnoreReason, Locale, TicketStatus } from '../chat/card.js';
import type { Level } from '../core/levels.js';

/** The level badge of a card, the same on every chat platform. */
export const CARD_LEVEL_LABELS: Record<Locale, Record<Level, string>> = {
  fr: { none: 'Info', watch: 'Veille', high: 'Élevé', critical: 'Critique' },
  en: { none: 'Info', watch: 'Watch', high: 'High', critical: 'Critical' },
};

/** A ticket's status as a card shows it. */
export const CARD_STATUS_LABELS: Record<Locale, Record<TicketStatus, string>> = {
  fr: { open: 'ouvert', assigned: 'assigné', replied: 'répondu', ignored: 'ignoré', resolved: 'résolu' },
  en: { open: 'open', assigned: 'assigned', replied: 'replied', ignored: 'ignored', resolved: 'resolved' },
};

export const IGNORE_REASON_LABELS: Record<Locale, Record<IgnoreReason, string>> = {
  fr: {
    'off-topic': 'Hors sujet',
    troll: 'Troll / politisé (risque Streisand)',
    duplicate: 'Doublon',
    handled: 'Déjà traité',
  },
  en: {
    'off-topic': 'Off-topic',
    troll: 'Troll / politicised (Streisand risk)',
    duplicate: 'Duplicate',
    handled: 'Already handled',
  },
};

export const ACTION_LABELS: Record<Locale, Record<string, string>> = {
  fr: {
    assign: 'assigné',
    reply: 'réponse approuvée',
    'draft-reply': 'réponse proposée',
    'approve-reply': 'réponse approuvée',
    ignore: 'ignoré',
    resolve: 'résolu',
    reopen: 'rouvert',
    comeback: 'revenu (la story grossit encore)',
    note: 'note',
  },
  en: {
    assign: 'assigned',
    reply: 'reply approved',
    'draft-reply': 'reply drafted',
    'approve-reply': 'reply approved',
    ignore: 'ignored',
    resolve: 'resolved',
    reopen: 'reopened',
    comeback: 'came back (the story keeps growing)',
    note: 'note',
  },
};
