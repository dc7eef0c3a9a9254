import type { Analysis } from '../engine/types.js';
import type { Mention } from '../mentions/mention.js';
import type { MentionRow } from '../store/types.js';

/** The stored row of a mention and its analysis. `account` is the watched account it was placed on. */
export function mentionRow(id: number, m: Mention, a: Analysis, account: string | null): MentionRow {
  return {
    id,
    source: m.source,
    externalId: m.id,
    url: m.url ?? null,
    text: m.text,
    lang: m.lang ?? a.lang,
    createdAt: new Date(m.createdAt),
    account,
    authorId: m.author.id,
    authorHandle: m.author.handle,
    author: m.author,
    replyTo: m.replyTo ?? null,
    repostOf: m.repostOf ?? null,
    quoteOf: m.quoteOf ?? null,
    score: a.score,
    level: a.level,
    category: a.category,
    rules: a.rules,
    reasons: a.reasons,
    clusterId: a.cluster.id,
  };
}
