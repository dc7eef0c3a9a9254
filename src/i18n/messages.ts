import type { Locale } from '../chat/card.js';

/**
 * Every string the human workflow shows, one typed object per locale. French is the default: the
 * organisations are French public services. `en` is typed against `fr`, so a missing key fails to
 * compile.
 */
const fr = {
  refusal: {
    'stale-version': 'Cette carte a changé entre-temps : rechargez-la avant de décider.',
    'invalid-transition': (status: string) => `Impossible dans l'état « ${status} ».`,
    forbidden: 'Vous n’avez pas le droit de faire cela sur ce ticket ; demandez à la cellule ou à un responsable.',
    'unknown-team': (team: string) => `Équipe inconnue : « ${team} ».`,
    'no-change': 'C’est déjà le cas : rien à changer.',
    'no-draft': 'Aucune réponse proposée à approuver.',
    'same-drafter': 'Vous avez proposé cette réponse : une autre personne doit l’approuver.',
    'template-expired': (id: string) => `L’élément de langage « ${id} » a dépassé sa date limite de relecture : il ne peut pas être approuvé.`,
    'empty-reply': 'La réponse est vide.',
    'invalid-snooze': 'Durée de mise en veille invalide (1 minute à 7 jours).',
  },
  template: {
    missing: (labels: string) => `Variables manquantes : ${labels}.`,
    tooLong: (length: number, limit: number, network: string) => `Trop long pour ${network} : ${length} / ${limit} caractères.`,
    due: 'relecture due',
    expired: 'relecture dépassée — non approuvable',
  },
  ignoreReason: { 'off-topic': 'hors sujet', troll: 'troll / politisé', duplicate: 'doublon', handled: 'déjà traité' } as Record<string, string>,
  level: { none: 'aucun', watch: 'à surveiller', high: 'élevé', critical: 'critique' },
  escalation: {
    title: (id: number, notify: 'lead' | 'crisis') => (notify === 'lead' ? `Ticket #${id} sans décision : au responsable d’équipe` : `Ticket #${id} sans décision : à la cellule de crise`),
    waiting: (duration: string, since: string) => `En attente depuis ${duration} (ouvert à ${since}).`,
    action: { lead: 'Merci de prendre la décision ou de l’assigner.', crisis: 'La cellule de crise prend la main.' },
    open: 'Voir la publication',
  },
  author: {
    title: (handle: string, name: string | null) => (name ? `@${handle} — ${name}` : `@${handle}`),
    reach: 'Audience',
    followers: (n: string) => `${n} abonnés`,
    unknownFollowers: 'abonnés inconnus',
    verified: 'compte certifié',
    reachLevel: { unknown: 'audience inconnue', modest: 'audience modeste', notable: 'audience notable', large: 'large audience' },
    history: 'Historique avec nous',
    counts: (mentions: string, tickets: string) => `${mentions} mentions, ${tickets} tickets`,
    decisions: (replied: number, ignored: number) => `${replied} répondus, ${ignored} ignorés`,
    ignoredFor: (list: string) => `Ignoré pour : ${list}`,
    seen: (first: string, last: string) => `Vu du ${first} au ${last}`,
    noHistory: 'Aucun échange précédent.',
    flags: 'Repères',
    flag: { press: 'presse', elected: 'élu·e', institution: 'institution', politicised: 'politisé', troll: 'troll', 'troll-history': 'déjà ignoré comme troll' } as Record<string, string>,
    origin: { configured: 'liste configurée', learned: 'appris de nos décisions', stored: 'enregistré' },
    learnedCount: (n: number) => `${n} fois`,
    hintTitle: 'Envisager de ne pas répondre (risque d’effet Streisand)',
    hintReason: {
      politicised: 'auteur politisé',
      'troll-history': 'déjà ignoré comme troll',
      'political-category': 'sujet politique',
      'modest-reach': 'audience modeste : une réponse officielle l’amplifierait',
    },
    noHint: 'Rien ne s’oppose à une réponse.',
    bio: 'Bio',
  },
};

export type Messages = typeof fr;

const en: Messages = {
  refusal: {
    'stale-version': 'This card changed in the meantime: reload it before deciding.',
    'invalid-transition': (status: string) => `Not possible while the ticket is "${status}".`,
    forbidden: 'You are not allowed to do that on this ticket; ask the crisis cell or a lead.',
    'unknown-team': (team: string) => `Unknown team "${team}".`,
    'no-change': 'Already so: nothing to change.',
    'no-draft': 'There is no drafted reply to approve.',
    'same-drafter': 'You drafted this reply: someone else must approve it.',
    'template-expired': (id: string) => `Template "${id}" is past its review deadline: it cannot be approved.`,
    'empty-reply': 'The reply is empty.',
    'invalid-snooze': 'Invalid snooze (1 minute to 7 days).',
  },
  template: {
    missing: (labels: string) => `Missing variables: ${labels}.`,
    tooLong: (length: number, limit: number, network: string) => `Too long for ${network}: ${length} / ${limit} characters.`,
    due: 'review due',
    expired: 'review overdue — cannot be approved',
  },
  ignoreReason: { 'off-topic': 'off-topic', troll: 'troll / politicised', duplicate: 'duplicate', handled: 'already handled' },
  level: { none: 'none', watch: 'watch', high: 'high', critical: 'critical' },
  escalation: {
    title: (id: number, notify: 'lead' | 'crisis') => (notify === 'lead' ? `Ticket #${id} undecided: to the team lead` : `Ticket #${id} undecided: to the crisis cell`),
    waiting: (duration: string, since: string) => `Waiting for ${duration} (opened at ${since}).`,
    action: { lead: 'Please decide or assign it.', crisis: 'The crisis cell takes over.' },
    open: 'Open the post',
  },
  author: {
    title: (handle: string, name: string | null) => (name ? `@${handle} — ${name}` : `@${handle}`),
    reach: 'Reach',
    followers: (n: string) => `${n} followers`,
    unknownFollowers: 'followers unknown',
    verified: 'verified account',
    reachLevel: { unknown: 'unknown reach', modest: 'modest reach', notable: 'notable reach', large: 'large reach' },
    history: 'History with us',
    counts: (mentions: string, tickets: string) => `${mentions} mentions, ${tickets} tickets`,
    decisions: (replied: number, ignored: number) => `${replied} replied, ${ignored} ignored`,
    ignoredFor: (list: string) => `Ignored for: ${list}`,
    seen: (first: string, last: string) => `Seen from ${first} to ${last}`,
    noHistory: 'No earlier exchange.',
    flags: 'Flags',
    flag: { press: 'press', elected: 'elected official', institution: 'institution', politicised: 'politicised', troll: 'troll', 'troll-history': 'ignored as troll before' },
    origin: { configured: 'configured list', learned: 'learned from our decisions', stored: 'recorded' },
    learnedCount: (n: number) => `${n} times`,
    hintTitle: 'Consider not replying (Streisand risk)',
    hintReason: {
      politicised: 'politicised author',
      'troll-history': 'ignored as troll before',
      'political-category': 'political subject',
      'modest-reach': 'modest reach: an official reply would amplify it',
    },
    noHint: 'Nothing argues against replying.',
    bio: 'Bio',
  },
};

export const MESSAGES: Readonly<Record<Locale, Messages>> = { fr, en };

export function messages(locale: Locale): Messages {
  return MESSAGES[locale];
}
