/**
 * Who is talking, before answering (or not). Built from plain rows: the stored author snapshot, the
 * counters, the decisions taken on this author's tickets, and the flag lists configured under
 * `risk.authors`. Nothing here decides for the team: the profile states facts and a hint.
 */

export interface AuthorSnapshot {
  handle: string;
  name?: string | null | undefined;
  followers?: number | null | undefined;
  verified?: boolean | null | undefined;
  bio?: string | null | undefined;
}

/** One decision taken on a ticket this author was part of (decisions joined to tickets). */
export interface AuthorDecision {
  ticketId: number;
  /** `assign`, `reply`, `approve-reply`, `ignore`, `resolve`, `reopen`… */
  action: string;
  /** For `ignore`: the ignore reason (`troll`, `off-topic`…). */
  reason?: string | null | undefined;
  /** The ticket's category, e.g. `politics`. */
  category?: string | null | undefined;
  at: Date;
}

export interface AuthorProfileInput {
  source: string;
  snapshot: AuthorSnapshot;
  /** authors.flags: flags the store learned at decision time (e.g. `troll-history`). */
  storedFlags?: readonly string[] | undefined;
  mentions: number;
  tickets: number;
  firstSeen?: Date | null | undefined;
  lastSeen?: Date | null | undefined;
  decisions: readonly AuthorDecision[];
  /** Category of the ticket being looked at, if any: a political subject weighs in the hint. */
  currentCategory?: string | null | undefined;
}

/** `config.risk.authors`: flag name → handles (with or without `@`, any case). */
export type AuthorFlagLists = Readonly<Record<string, readonly string[] | undefined>>;

export const AUTHOR_DEFAULTS = {
  /** Ignored as troll this many times → learned `troll` flag. */
  trollAfter: 2,
  /** This many distinct tickets on political subjects → learned `politicised` flag. */
  politicisedAfter: 2,
  /** Below this many followers, a reply from an official account mostly amplifies the author. */
  modestReachBelow: 10_000,
  /** From this many followers on, staying silent hides nothing: no "consider not replying" hint. */
  largeReachFrom: 100_000,
  politicalCategories: ['politics'] as readonly string[],
};
export type AuthorOptions = Partial<typeof AUTHOR_DEFAULTS>;

export type FlagOrigin = 'configured' | 'learned' | 'stored';
export interface AuthorFlag {
  flag: string;
  origin: FlagOrigin;
  /** For learned flags: how many decisions or tickets made it. */
  count?: number;
}

export type Reach = 'unknown' | 'modest' | 'notable' | 'large';
export type HintReason = 'politicised' | 'troll-history' | 'political-category' | 'modest-reach';

export interface AuthorProfile {
  source: string;
  handle: string;
  name: string | null;
  followers: number | null;
  verified: boolean;
  bio: string | null;
  reach: Reach;
  mentions: number;
  tickets: number;
  firstSeen: Date | null;
  lastSeen: Date | null;
  history: {
    replied: number;
    ignored: number;
    /** Ignore reason → tickets ignored for it, most frequent first. */
    ignoredFor: Array<{ reason: string; count: number }>;
    lastDecisionAt: Date | null;
  };
  flags: AuthorFlag[];
  hint: { considerNotReplying: boolean; reasons: HintReason[] };
}

export function normalizeHandle(handle: string): string {
  return handle.trim().replace(/^@+/, '').toLowerCase();
}

export function reachOf(followers: number | null, o: typeof AUTHOR_DEFAULTS = AUTHOR_DEFAULTS): Reach {
  if (followers === null) return 'unknown';
  if (followers < o.modestReachBelow) return 'modest';
  if (followers < o.largeReachFrom) return 'notable';
  return 'large';
}

/** The author card's facts, flags and the "consider not replying" hint. */
export function authorProfile(input: AuthorProfileInput, lists: AuthorFlagLists = {}, options: AuthorOptions = {}): AuthorProfile {
  const o = { ...AUTHOR_DEFAULTS, ...options };
  const handle = normalizeHandle(input.snapshot.handle);
  const followers = typeof input.snapshot.followers === 'number' && input.snapshot.followers >= 0 ? input.snapshot.followers : null;

  const flags: AuthorFlag[] = [];
  const has = (flag: string) => flags.some((f) => f.flag === flag);
  for (const [flag, handles] of Object.entries(lists)) {
    if (handles?.some((h) => normalizeHandle(h) === handle)) flags.push({ flag, origin: 'configured' });
  }

  const replies = input.decisions.filter((d) => d.action === 'reply' || d.action === 'approve-reply');
  const ignores = input.decisions.filter((d) => d.action === 'ignore');
  // Counted per ticket: a story reopened and ignored again is still one episode with this author.
  const reasons = new Map<string, Set<number>>();
  for (const d of ignores) {
    const key = d.reason ?? 'unknown';
    reasons.set(key, (reasons.get(key) ?? new Set()).add(d.ticketId));
  }

  const trolls = reasons.get('troll')?.size ?? 0;
  if (trolls >= o.trollAfter && !has('troll')) flags.push({ flag: 'troll', origin: 'learned', count: trolls });
  const politicalTickets = new Set(input.decisions.filter((d) => d.category && o.politicalCategories.includes(d.category)).map((d) => d.ticketId)).size;
  if (politicalTickets >= o.politicisedAfter && !has('politicised')) flags.push({ flag: 'politicised', origin: 'learned', count: politicalTickets });
  for (const stored of input.storedFlags ?? []) {
    if (!has(stored)) flags.push({ flag: stored, origin: 'stored' });
  }

  const reach = reachOf(followers, o);
  const hintReasons: HintReason[] = [];
  if (has('politicised')) hintReasons.push('politicised');
  if (has('troll') || has('troll-history') || trolls > 0) hintReasons.push('troll-history');
  if (input.currentCategory && o.politicalCategories.includes(input.currentCategory)) hintReasons.push('political-category');
  // Reach alone is no reason to stay silent (a passenger with a lost bag gets an answer); it only
  // adds to a risk above. Journalists are never left unanswered: press relations take them.
  const risky = hintReasons.length > 0 && reach !== 'large' && !has('press');
  if (risky && reach === 'modest') hintReasons.push('modest-reach');

  const at = input.decisions.map((d) => d.at.getTime());
  return {
    source: input.source,
    handle,
    name: input.snapshot.name?.trim() || null,
    followers,
    verified: input.snapshot.verified === true,
    bio: input.snapshot.bio?.trim() || null,
    reach,
    mentions: input.mentions,
    tickets: input.tickets,
    firstSeen: input.firstSeen ?? null,
    lastSeen: input.lastSeen ?? null,
    history: {
      replied: new Set(replies.map((d) => d.ticketId)).size,
      ignored: new Set(ignores.map((d) => d.ticketId)).size,
      ignoredFor: [...reasons].map(([reason, tickets]) => ({ reason, count: tickets.size })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
      lastDecisionAt: at.length > 0 ? new Date(Math.max(...at)) : null,
    },
    flags,
    hint: { considerNotReplying: risky, reasons: risky ? hintReasons : [] },
  };
}
