import type { MentionInput } from '../../../src/mentions/mention.js';
import { clip, isoOrNull } from '../runtime/payload.js';
import { externalEmbedSchema, type PostRecord, quoteEmbedSchema } from './jetstream-events.js';

const LINK_FACET = 'app.bsky.richtext.facet#link';
/** A post created "in the future" beyond this is a wrong clock: the firehose time is used instead. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export function postUri(did: string, rkey: string): string {
  return `at://${did}/app.bsky.feed.post/${rkey}`;
}

export function postUrl(did: string, rkey: string): string {
  return `https://bsky.app/profile/${encodeURIComponent(did)}/post/${encodeURIComponent(rkey)}`;
}

/**
 * Bluesky shows long links shortened in `text` ("example.com/very-lo..."); the full address is in a
 * link facet, indexed in UTF-8 bytes. Put it back so rules and clustering see the real link.
 */
export function expandLinks(record: PostRecord): string {
  const links = (record.facets ?? [])
    .map((f) => ({ start: f.index.byteStart, end: f.index.byteEnd, uri: f.features.find((x) => x.$type === LINK_FACET)?.uri }))
    .filter((f): f is { start: number; end: number; uri: string } => typeof f.uri === 'string' && f.end > f.start)
    .sort((a, b) => a.start - b.start);
  if (links.length === 0) return record.text;
  const bytes = Buffer.from(record.text, 'utf8');
  const parts: string[] = [];
  let at = 0;
  for (const link of links) {
    if (link.start < at || link.end > bytes.length) continue; // overlapping or out of range: keep the text
    parts.push(bytes.subarray(at, link.start).toString('utf8'), link.uri);
    at = link.end;
  }
  parts.push(bytes.subarray(at).toString('utf8'));
  return parts.join('');
}

export interface PostContext {
  did: string;
  rkey: string;
  timeUs: number;
  handle: string | null;
  account: string | null;
}

/** A Jetstream post create → the mention format (id: the post's AT URI). */
export function postToMention(record: PostRecord, ctx: PostContext): MentionInput {
  let text = expandLinks(record);
  const external = externalEmbedSchema.safeParse(record.embed);
  if (external.success && !text.includes(external.data.external.uri)) text = `${text}\n${external.data.external.uri}`.trim();
  const quote = quoteEmbedSchema.safeParse(record.embed);
  let quoteOf: string | null = null;
  if (quote.success) quoteOf = quote.data.$type === 'app.bsky.embed.record' ? quote.data.record.uri : quote.data.record.record.uri;

  const seenAt = Math.floor(ctx.timeUs / 1_000);
  const claimed = isoOrNull(record.createdAt);
  const createdAt = claimed !== null && Date.parse(claimed) <= seenAt + MAX_CLOCK_SKEW_MS ? claimed : new Date(seenAt).toISOString();
  const lang = record.langs?.[0];

  return {
    source: 'bluesky',
    id: postUri(ctx.did, ctx.rkey),
    url: postUrl(ctx.did, ctx.rkey),
    text: clip(text, 20_000),
    lang: lang !== undefined && lang.length >= 2 && lang.length <= 10 ? lang : null,
    createdAt,
    account: ctx.account,
    author: { id: ctx.did, handle: ctx.handle ?? ctx.did },
    replyTo: record.reply?.parent.uri ?? null,
    repostOf: null,
    quoteOf,
  };
}
