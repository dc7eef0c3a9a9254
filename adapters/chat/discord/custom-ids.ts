import { z } from 'zod';
import { IGNORE_REASONS, type IgnoreReason } from '../../../src/chat/card.js';
import { DiscordLimits } from './limits.js';

/**
 * Custom ids of everything the adapter renders. They carry the ticket id and the card version the
 * clicker saw (so a stale click is detected by the core) and come back from the outside world, so
 * they are parsed with zod, never trusted. Form: `vg:<kind>:<ticket>:<version>[:…]`, at most 100
 * characters (Discord's limit).
 */
export const Kind = {
  assign: 'as',
  ignore: 'ig',
  reply: 'rp',
  author: 'au',
  resolve: 'rs',
  reopen: 'ro',
  /** Template select in the private reply step. */
  template: 'tp',
  /** Reply variables modal. */
  modal: 'rm',
  approve: 'ra',
  edit: 're',
  /** Notice button: the core's opaque button id follows. */
  notice: 'nb',
} as const;

const PREFIX = 'vg';
/** Option value of the "more…" entry of a paged select; team and template ids are slugs and never contain ':'. */
export const MORE_VALUE = 'vg:more';
/** Snooze choices offered with Ignore, in hours. */
export const SNOOZE_HOURS = [1, 4, 24] as const;

export type CustomId =
  | { kind: 'assign'; ticketId: number; version: number; page: number }
  | { kind: 'ignore' | 'reply' | 'author' | 'resolve' | 'reopen'; ticketId: number; version: number }
  | { kind: 'template' | 'modal' | 'edit'; ticketId: number; version: number; draft: string; page: number }
  | { kind: 'approve'; ticketId: number; version: number; draft: string }
  | { kind: 'notice'; buttonId: string };

const int = z
  .string()
  .regex(/^\d{1,10}$/)
  .transform(Number);
const ticketId = int.refine((n) => n > 0, 'ticket id must be positive');
const page = int.refine((n) => n < 1_000, 'page out of range');
const draft = z.string().regex(/^[a-z0-9]{6,16}$/);

const simpleKinds = { ig: 'ignore', rp: 'reply', au: 'author', rs: 'resolve', ro: 'reopen' } as const;
const draftKinds = { tp: 'template', rm: 'modal', re: 'edit' } as const;

const schemas = [
  z.tuple([z.literal(PREFIX), z.literal(Kind.assign), ticketId, int, page]).transform(
    ([, , t, v, p]): CustomId => ({ kind: 'assign', ticketId: t, version: v, page: p }),
  ),
  z.tuple([z.literal(PREFIX), z.enum(Object.keys(simpleKinds) as Array<keyof typeof simpleKinds>), ticketId, int]).transform(
    ([, k, t, v]): CustomId => ({ kind: simpleKinds[k], ticketId: t, version: v }),
  ),
  z.tuple([z.literal(PREFIX), z.enum(Object.keys(draftKinds) as Array<keyof typeof draftKinds>), ticketId, int, draft, page]).transform(
    ([, k, t, v, d, p]): CustomId => ({ kind: draftKinds[k], ticketId: t, version: v, draft: d, page: p }),
  ),
  z.tuple([z.literal(PREFIX), z.literal(Kind.approve), ticketId, int, draft]).transform(
    ([, , t, v, d]): CustomId => ({ kind: 'approve', ticketId: t, version: v, draft: d }),
  ),
];

/** Parses a custom id that came back from Discord; null when it is not one we rendered. */
export function parseCustomId(raw: unknown): CustomId | null {
  if (typeof raw !== 'string' || raw.length > DiscordLimits.customId) return null;
  const noticePrefix = `${PREFIX}:${Kind.notice}:`;
  if (raw.startsWith(noticePrefix)) {
    const buttonId = raw.slice(noticePrefix.length);
    return buttonId.length > 0 ? { kind: 'notice', buttonId } : null;
  }
  const parts = raw.split(':');
  for (const schema of schemas) {
    const parsed = schema.safeParse(parts);
    if (parsed.success) return parsed.data;
  }
  return null;
}

/** Builds a custom id; the parts are bounded so the result always fits, which `encode` asserts. */
export function encodeCustomId(id: CustomId): string {
  let out: string;
  switch (id.kind) {
    case 'notice':
      out = `${PREFIX}:${Kind.notice}:${id.buttonId}`;
      break;
    case 'assign':
      out = `${PREFIX}:${Kind.assign}:${id.ticketId}:${id.version}:${id.page}`;
      break;
    case 'approve':
      out = `${PREFIX}:${Kind.approve}:${id.ticketId}:${id.version}:${id.draft}`;
      break;
    case 'template':
    case 'modal':
    case 'edit':
      out = `${PREFIX}:${Kind[id.kind]}:${id.ticketId}:${id.version}:${id.draft}:${id.page}`;
      break;
    default:
      out = `${PREFIX}:${Kind[id.kind]}:${id.ticketId}:${id.version}`;
  }
  if (out.length > DiscordLimits.customId) throw new RangeError(`custom id longer than ${DiscordLimits.customId}: ${out.slice(0, 40)}…`);
  return out;
}

/** A notice button's custom id, or null when the core's id does not fit in Discord's 100 characters. */
export function noticeCustomId(buttonId: string): string | null {
  const out = `${PREFIX}:${Kind.notice}:${buttonId}`;
  return buttonId.length > 0 && out.length <= DiscordLimits.customId ? out : null;
}

/** Ignore select option values: `<reason>` or `<reason>:<snooze minutes>`. */
const ignoreValueSchema = z
  .string()
  .max(DiscordLimits.optionValue)
  .transform((raw) => raw.split(':'))
  .pipe(
    z.union([
      z.tuple([z.enum(IGNORE_REASONS)]),
      z.tuple([z.enum(IGNORE_REASONS), z.enum(SNOOZE_HOURS.map((h) => String(h * 60)) as [string, ...string[]])]),
    ]),
  );

export function ignoreValue(reason: IgnoreReason, snoozeMinutes?: number): string {
  return snoozeMinutes === undefined ? reason : `${reason}:${snoozeMinutes}`;
}

export function parseIgnoreValue(raw: unknown): { reason: IgnoreReason; snoozeMinutes?: number } | null {
  const parsed = ignoreValueSchema.safeParse(raw);
  if (!parsed.success) return null;
  const [reason, minutes] = parsed.data;
  return minutes === undefined ? { reason } : { reason, snoozeMinutes: Number(minutes) };
}

/** A select value naming a team or template: what we rendered, bounded. */
export const optionValueSchema = z.string().min(1).max(DiscordLimits.optionValue);
