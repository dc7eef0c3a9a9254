import type { MentionRow } from '../../src/store/types.js';

/** A stored mention's row as ingest prepares it, with plain values unless told otherwise. */
export function mentionRow(id: number, externalId: string, overrides: Partial<MentionRow> = {}): MentionRow {
  return {
    id,
    source: 'twitter',
    externalId,
    url: null,
    text: 'bonjour',
    lang: 'fr',
    createdAt: new Date('2026-11-28T08:00:00.123Z'),
    account: null,
    authorId: 'a1',
    authorHandle: 'someone',
    author: { id: 'a1', handle: 'someone' },
    replyTo: null,
    repostOf: null,
    quoteOf: null,
    score: 0,
    level: 'none',
    category: null,
    rules: [],
    reasons: [],
    clusterId: `twitter:${externalId}`,
    ...overrides,
  };
}
