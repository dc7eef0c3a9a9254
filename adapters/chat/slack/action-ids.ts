import { z } from 'zod';
import { IGNORE_REASONS } from '../../../src/chat/card.js';

/** Every action id the adapter renders and listens to: one place, never retyped. */
export const ActionId = {
  assign: 'vigie_assign',
  reply: 'vigie_reply',
  ignore: 'vigie_ignore',
  author: 'vigie_author',
  reopen: 'vigie_reopen',
  resolve: 'vigie_resolve',
  openLink: 'vigie_open_link',
  /** Notice buttons are `vigie_notice_<index>` (action ids must be unique in a message). */
  noticePrefix: 'vigie_notice_',
  replyTemplate: 'vigie_reply_template',
  replyVariable: 'vigie_reply_variable',
} as const;

export const BlockId = {
  cardActions: 'vigie_card_actions',
  cardLink: 'vigie_card_link',
  noticeActions: 'vigie_notice_actions',
  replyTemplate: 'vigie_reply_template',
  /** One input block per variable: `vigie_reply_var_<name>`. */
  replyVariablePrefix: 'vigie_reply_var_',
  replyPreview: 'vigie_reply_preview',
} as const;

export const CallbackId = { replyModal: 'vigie_reply_modal' } as const;

/** Snooze choices offered with Ignore, in hours. */
export const SNOOZE_HOURS = [1, 4, 24] as const;

const ticketRef = { t: z.number().int().positive(), v: z.number().int().nonnegative() };

/** What a card button carries: which ticket, at which version the clicker saw it. */
export const buttonValueSchema = z.object(ticketRef);
export const assignValueSchema = z.object({ ...ticketRef, team: z.string().min(1).max(100) });
export const ignoreValueSchema = z.object({
  ...ticketRef,
  r: z.enum(IGNORE_REASONS),
  s: z.union(SNOOZE_HOURS.map((h) => z.literal(h * 60))).optional(),
});

export type ButtonValue = z.infer<typeof buttonValueSchema>;

/** Option values are limited to 150 characters by Slack; callers drop options that do not fit. */
export const OPTION_VALUE_MAX = 150;
export const BUTTON_VALUE_MAX = 2_000;

/** Parses a JSON value that came back from Slack; null when it is not what we rendered. */
export function parseValue<T>(schema: z.ZodType<T>, raw: unknown): T | null {
  if (typeof raw !== 'string') return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The reply modal's state between steps, kept in the view's private_metadata (3,000 chars max). */
export const replyMetadataSchema = z.object({
  t: z.number().int().positive(),
  v: z.number().int().nonnegative(),
  c: z.string().min(1),
  /** Template picked, once picked. */
  tpl: z.string().min(1).optional(),
  /** Variable names, in order, so the submission maps block ids back to names. */
  vars: z.array(z.string()).optional(),
  locale: z.enum(['fr', 'en']).optional(),
});
export type ReplyMetadata = z.infer<typeof replyMetadataSchema>;
