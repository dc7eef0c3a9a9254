import type { MentionInput } from '../../src/mentions/mention.js';
import { mentionSchema, type Mention } from '../../src/mentions/mention.js';

let seq = 0;

/** A valid mention with sensible defaults; `at` is minutes after 2026-11-28T08:00Z. */
export function mention(text: string, over: Partial<MentionInput> & { at?: number } = {}): Mention {
  const { at = 0, ...rest } = over;
  seq++;
  return mentionSchema.parse({
    source: 'twitter',
    id: `m${seq}`,
    text,
    createdAt: new Date(Date.UTC(2026, 10, 28, 8) + at * 60_000).toISOString(),
    author: { id: `a${seq}`, handle: `user${seq}`, followers: 100 },
    ...rest,
  });
}

/** A one-rule pack. */
export function pack(query: string, extra: Record<string, unknown> = {}) {
  return { rules: [{ id: 'r', category: 'security', weight: 80, query, ...extra }] };
}
