import { z } from 'zod';

/** What is remembered per feed between polls and across restarts (through the CursorStore). */
export const feedStateSchema = z.object({
  etag: z.string().max(1_000).nullable().default(null),
  lastModified: z.string().max(200).nullable().default(null),
  /** Entry keys and links already handed to the sink, oldest first. */
  seen: z.array(z.string().max(2_000)).max(10_000).default([]),
});
export type FeedState = z.output<typeof feedStateSchema>;

export const emptyFeedState = (): FeedState => ({ etag: null, lastModified: null, seen: [] });

/**
 * Remembers keys, forgetting the oldest beyond `max`: a feed shows its latest entries only, so a
 * memory a few times its length is enough to never take an entry twice.
 */
export function rememberSeen(seen: readonly string[], added: readonly string[], max: number): string[] {
  const set = new Set(seen);
  const out = [...seen];
  for (const k of added) {
    if (set.has(k)) continue;
    set.add(k);
    out.push(k);
  }
  return out.length > max ? out.slice(out.length - max) : out;
}
