import { createHash } from 'node:crypto';
import type { MentionInput } from '../../../src/mentions/mention.js';
import { clip, isoOrNull } from '../runtime/payload.js';
import type { Feed, FeedEntry } from './feed-parser.js';

const MAX_ID = 200;
const MAX_TEXT = 10_000;

/** Google Alerts wraps every link in a redirect (`google.com/url?…&url=<the article>`): unwrap it. */
export function unwrapLink(link: string | null): string | null {
  if (link === null) return null;
  try {
    const u = new URL(link);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (/(^|\.)google\.[a-z.]+$/.test(u.hostname) && u.pathname === '/url') {
      const target = u.searchParams.get('url') ?? u.searchParams.get('q');
      if (target && /^https?:\/\//.test(target)) return new URL(target).toString();
    }
    return u.toString();
  } catch {
    return null;
  }
}

function hostOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return null;
  }
}

/**
 * The entry's identity: its guid / atom:id when present, else its link, else a hash of what it
 * says. Stable across polls, which is what de-duplication relies on.
 */
export function entryKey(entry: FeedEntry, feedUrl: string): string {
  // A guid such as "1234" is unique only within its feed: qualify it with the feed's address.
  const id = entry.id === null ? null : entry.id.includes(':') ? entry.id : `${feedUrl}#${entry.id}`;
  const raw = id ?? entry.link ?? `${feedUrl}\n${entry.title}\n${entry.published ?? ''}`;
  const bare = entry.id === null && entry.link === null;
  if (!bare && raw.length <= MAX_ID) return raw;
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

export function entryToMention(entry: FeedEntry, ctx: { feed: Feed; feedUrl: string; account: string | null; now: Date }): MentionInput {
  const url = unwrapLink(entry.link);
  const site = hostOf(url) ?? hostOf(unwrapLink(ctx.feed.link)) ?? hostOf(ctx.feedUrl) ?? 'feed';
  // The feed's title names the publication only when the entry is from the feed's own site
  // (not for an aggregator such as Google Alerts).
  const sameSite = hostOf(unwrapLink(ctx.feed.link)) === site;
  const name = entry.author ?? (sameSite && ctx.feed.title ? ctx.feed.title : null);
  const text = [entry.title, entry.summary].filter((t) => t !== '').join('\n\n');
  const lang = entry.lang ?? ctx.feed.lang;
  return {
    source: 'rss',
    id: entryKey(entry, ctx.feedUrl),
    url,
    text: clip(text, MAX_TEXT),
    lang: lang && lang.length >= 2 && lang.length <= 10 ? lang : null,
    createdAt: isoOrNull(entry.published) ?? ctx.now.toISOString(),
    account: ctx.account,
    author: { id: site, handle: site, ...(name ? { name: clip(name, 500) } : {}) },
    replyTo: null,
    repostOf: null,
    quoteOf: null,
  };
}
