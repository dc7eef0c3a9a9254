import type { IgnoreReason, Locale } from '../chat/card.js';

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
