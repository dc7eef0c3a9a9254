import { z } from 'zod';

/**
 * Raw gateway payloads the adapter reads itself (zod at the boundary). Thread messages and reactions
 * are read from the raw dispatch rather than from discord.js objects, because discord.js drops them
 * for channels or messages missing from its cache (after a restart, most are) unless partials are
 * enabled, and then hands back objects with most fields unknown.
 */
const user = z.looseObject({
  id: z.string().min(1),
  username: z.string().optional(),
  global_name: z.string().nullish(),
  bot: z.boolean().optional(),
});
const member = z.looseObject({ roles: z.array(z.string()).default([]), nick: z.string().nullish(), user: user.optional() });

export const rawInteractionSchema = z.looseObject({
  id: z.string().min(1),
  channel_id: z.string().optional(),
  channel: z.looseObject({ id: z.string() }).optional(),
  member: member.optional(),
  user: user.optional(),
});

export const messageCreateSchema = z.looseObject({
  id: z.string().min(1),
  channel_id: z.string().min(1),
  guild_id: z.string().optional(),
  author: user,
  member: member.optional(),
  content: z.string().default(''),
  type: z.number().int().default(0),
  webhook_id: z.string().optional(),
});

export const reactionAddSchema = z.looseObject({
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  message_id: z.string().min(1),
  guild_id: z.string().optional(),
  member: member.optional(),
  emoji: z.looseObject({ id: z.string().nullish(), name: z.string().nullish() }),
  /** Sent by Discord since 2024; lets us skip reactions on other people's messages without a fetch. */
  message_author_id: z.string().optional(),
});

/** Gateway message types a person types: default and reply. */
export const HUMAN_MESSAGE_TYPES = new Set([0, 19]);

export function displayName(u: z.infer<typeof user>, m?: { nick?: string | null | undefined }): string {
  return m?.nick ?? u.global_name ?? u.username ?? u.id;
}
