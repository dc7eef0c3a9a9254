import { z } from 'zod';

/** The parts of Mastodon's entities (https://docs.joinmastodon.org/entities/) a mention needs. */
export const accountSchema = z.looseObject({
  id: z.string().min(1),
  username: z.string().min(1),
  acct: z.string().min(1),
  display_name: z.string().nullish(),
  followers_count: z.number().int().nonnegative().nullish(),
  note: z.string().nullish(),
  url: z.string().nullish(),
  bot: z.boolean().nullish(),
});

const baseStatus = z.looseObject({
  id: z.string().min(1).max(100),
  uri: z.string().min(1),
  url: z.string().nullish(),
  created_at: z.string(),
  content: z.string().max(200_000),
  spoiler_text: z.string().nullish(),
  language: z.string().nullish(),
  in_reply_to_id: z.string().nullish(),
  account: accountSchema,
  // Mastodon ≥ 4.4: { state, quoted_status }; some forks send the quoted status itself.
  quote: z
    .looseObject({ id: z.string().optional(), quoted_status: z.looseObject({ id: z.string() }).nullish() })
    .nullish(),
});

export const statusSchema = baseStatus.extend({ reblog: baseStatus.nullish() });
export type Status = z.output<typeof statusSchema>;

export const notificationSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string(),
  created_at: z.string().optional(),
  status: statusSchema.nullish(),
});
export type Notification = z.output<typeof notificationSchema>;

/** A streaming message: `payload` is itself JSON text for `update` and `notification`. */
export const streamMessageSchema = z.looseObject({
  stream: z.array(z.string()).optional(),
  event: z.string().min(1),
  // Mastodon sends the payload as JSON text; a few compatible servers send the object itself.
  payload: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
});

/** Notification types that carry somebody else's post about us. */
export const MENTION_NOTIFICATION_TYPES = new Set(['mention', 'quote']);
