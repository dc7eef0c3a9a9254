import type { MentionRow } from '../../src/store/types.js';
import { copyJson, copyText } from './copy-text.js';

/** The mentions table's columns, in the order of `mentionCopyLine`'s values. */
export const MENTION_TABLE_COLUMNS = [
  'id', 'source', 'external_id', 'url', 'text', 'lang', 'created_at', 'account', 'author_id', 'author_handle',
  'author', 'reply_to', 'repost_of', 'quote_of', 'score', 'level', 'category', 'rules', 'reasons', 'cluster_id',
] as const;

const orNull = (v: string | null): string => (v === null ? '\\N' : copyText(v));

/**
 * A mention's COPY line (newline included), the same as `copyLine` of its values in
 * MENTION_TABLE_COLUMNS order, written out field by field: the generic encoder's array of values
 * and type dispatch per value cost more than the values' own encoding.
 */
export function mentionCopyLine(r: MentionRow): string {
  return (
    `${r.id}\t${copyText(r.source)}\t${copyText(r.externalId)}\t${orNull(r.url)}\t${copyText(r.text)}\t${orNull(r.lang)}\t` +
    `${r.createdAt.toISOString()}\t${orNull(r.account)}\t${copyText(r.authorId)}\t${copyText(r.authorHandle)}\t${copyJson(r.author)}\t` +
    `${orNull(r.replyTo)}\t${orNull(r.repostOf)}\t${orNull(r.quoteOf)}\t${r.score}\t${copyText(r.level)}\t${orNull(r.category)}\t` +
    `${copyJson(r.rules)}\t${copyJson(r.reasons)}\t${copyText(r.clusterId)}\n`
  );
}
