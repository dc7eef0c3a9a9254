import { z } from 'zod';

/**
 * The mention format every source produces (see PRODUCT.md). Unknown fields are dropped, missing
 * required ones are reported by path.
 */
export const authorSchema = z.object({
  id: z.string().min(1).max(200),
  handle: z.string().min(1).max(200),
  name: z.string().max(500).optional(),
  followers: z.number().int().nonnegative().optional(),
  verified: z.boolean().optional(),
  bio: z.string().max(5_000).optional(),
});

const optionalRef = z.string().min(1).max(500).nullish();

export const mentionSchema = z.object({
  source: z
    .string()
    .min(1)
    .max(50)
    .regex(/^[a-z0-9_.-]+$/i, 'letters, digits, "_", "-" or "." only'),
  id: z.string().min(1).max(200),
  url: z.url().max(2_000).nullish(),
  text: z.string().max(20_000),
  lang: z.string().min(2).max(10).nullish(),
  createdAt: z.iso.datetime({ offset: true }),
  account: z.string().min(1).max(200).nullish(),
  author: authorSchema,
  replyTo: optionalRef,
  repostOf: optionalRef,
  quoteOf: optionalRef,
});

export type MentionInput = z.input<typeof mentionSchema>;
export type Mention = z.output<typeof mentionSchema>;
export type Author = z.output<typeof authorSchema>;

/** A mention's identity: `source` + `id`. */
export function mentionKey(m: Pick<Mention, 'source' | 'id'>): string {
  return `${m.source}:${m.id}`;
}
