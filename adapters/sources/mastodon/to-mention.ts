import type { MentionInput } from '../../../src/mentions/mention.js';
import { clip, isoOrNull } from '../runtime/payload.js';
import { decodeEntities, htmlToText } from './html-to-text.js';
import type { Status } from './mastodon-payloads.js';

/** `user` (local) or `user@host` (remote) → always `user@host`, which names a person across instances. */
export function fullAcct(acct: string, instanceHost: string): string {
  return acct.includes('@') ? acct : `${acct}@${instanceHost}`;
}

/** A status from the instance's API → the mention format (id: the instance's status id). */
export function statusToMention(status: Status, ctx: { instanceHost: string; account: string | null; now: Date }): MentionInput {
  const shown = status.reblog ?? status;
  const body = htmlToText(shown.content);
  const spoiler = shown.spoiler_text ? decodeEntities(shown.spoiler_text).trim() : '';
  const text = spoiler ? `${spoiler}\n\n${body}` : body;
  const a = status.account;
  const acct = fullAcct(a.acct, ctx.instanceHost);
  const quote = shown.quote;
  const lang = shown.language;
  const url = shown.url ?? status.url ?? (/^https?:\/\//.test(shown.uri) ? shown.uri : null);
  return {
    source: 'mastodon',
    id: status.id,
    url,
    text: clip(text, 20_000),
    lang: lang && lang.length >= 2 && lang.length <= 10 ? lang : null,
    createdAt: isoOrNull(status.created_at) ?? ctx.now.toISOString(),
    account: ctx.account,
    author: {
      id: acct,
      handle: acct,
      ...(a.display_name ? { name: clip(a.display_name, 500) } : {}),
      ...(typeof a.followers_count === 'number' ? { followers: a.followers_count } : {}),
      ...(a.note ? { bio: clip(htmlToText(a.note), 5_000) } : {}),
    },
    replyTo: shown.in_reply_to_id ?? null,
    repostOf: status.reblog ? status.reblog.id : null,
    quoteOf: quote ? (quote.quoted_status?.id ?? quote.id ?? null) : null,
  };
}
