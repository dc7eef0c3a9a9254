import type { MentionInput } from '../../../src/mentions/mention.js';
import { clip, isoOrNull } from '../runtime/payload.js';
import type { XTweet, XUser } from './x-payloads.js';

/** X's codes for "no language" (undetermined, media only, hashtags only…), not real languages. */
const NOT_A_LANGUAGE = new Set(['und', 'zxx', 'qme', 'qht', 'qam', 'qct', 'qst']);

export function tweetUrl(id: string, username: string | null): string {
  return username ? `https://x.com/${encodeURIComponent(username)}/status/${id}` : `https://x.com/i/web/status/${id}`;
}

/** A post from the filtered stream → the mention format (id: the post id). */
export function tweetToMention(tweet: XTweet, users: readonly XUser[], ctx: { account: string | null; now: Date }): MentionInput {
  const user = users.find((u) => u.id === tweet.author_id) ?? null;
  const ref = (type: string) => tweet.referenced_tweets?.find((r) => r.type === type)?.id ?? null;
  const lang = tweet.lang && !NOT_A_LANGUAGE.has(tweet.lang) && tweet.lang.length >= 2 && tweet.lang.length <= 10 ? tweet.lang : null;
  return {
    source: 'x',
    id: tweet.id,
    url: tweetUrl(tweet.id, user?.username ?? null),
    // Long posts come whole in note_tweet; `text` is then cut at 280.
    text: clip(tweet.note_tweet?.text ?? tweet.text, 20_000),
    lang,
    createdAt: isoOrNull(tweet.created_at) ?? ctx.now.toISOString(),
    account: ctx.account,
    author: user
      ? {
          id: user.id,
          handle: user.username,
          ...(user.name ? { name: clip(user.name, 500) } : {}),
          ...(user.public_metrics ? { followers: user.public_metrics.followers_count } : {}),
          ...(user.verified !== undefined ? { verified: user.verified } : {}),
          ...(user.description ? { bio: clip(user.description, 5_000) } : {}),
        }
      : { id: tweet.author_id ?? 'unknown', handle: tweet.author_id ?? 'unknown' },
    replyTo: ref('replied_to'),
    repostOf: ref('retweeted'),
    quoteOf: ref('quoted'),
  };
}
