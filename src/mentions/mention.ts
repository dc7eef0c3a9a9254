import { z } from 'zod';
import { isPlainObject } from '../core/plain-object.js';

/** Length limits of the mention format, in UTF-16 code units (what zod's `min`/`max` count). */
const LIMITS = {
  source: 50,
  id: 200,
  url: 2_000,
  text: 20_000,
  lang: [2, 10],
  account: 200,
  ref: 500,
  authorId: 200,
  handle: 200,
  name: 500,
  bio: 5_000,
} as const;

const SOURCE = /^[a-z0-9_.-]+$/i;

/**
 * The mention format every source produces (see PRODUCT.md). Unknown fields are dropped, missing
 * required ones are reported by path.
 */
export const authorSchema = z.object({
  id: z.string().min(1).max(LIMITS.authorId),
  handle: z.string().min(1).max(LIMITS.handle),
  name: z.string().max(LIMITS.name).optional(),
  followers: z.number().int().nonnegative().optional(),
  verified: z.boolean().optional(),
  bio: z.string().max(LIMITS.bio).optional(),
});

const optionalRef = z.string().min(1).max(LIMITS.ref).nullish();
const createdAtSchema = z.iso.datetime({ offset: true });

export const mentionSchema = z.object({
  source: z.string().min(1).max(LIMITS.source).regex(SOURCE, 'letters, digits, "_", "-" or "." only'),
  id: z.string().min(1).max(LIMITS.id),
  url: z.url().max(LIMITS.url).nullish(),
  text: z.string().max(LIMITS.text),
  lang: z.string().min(LIMITS.lang[0]).max(LIMITS.lang[1]).nullish(),
  createdAt: createdAtSchema,
  account: z.string().min(1).max(LIMITS.account).nullish(),
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

/**
 * `mentionSchema.safeParse`, several times quicker for the mentions that are plainly valid (nearly
 * all of them): zod's machinery, a result object and a run of checks per field, was most of the
 * cost of reading a webhook body and a fifth of the memory ingest allocates. Such a mention is
 * built here as zod builds it (fields in schema order, unknown ones dropped); anything else (a
 * missing, mistyped or out-of-range field, a URL zod would rewrite) goes to zod, which has the
 * last word and the error messages.
 */
export function parseMention(input: unknown): ReturnType<typeof mentionSchema.safeParse> {
  const data = plainMention(input);
  return data === null ? mentionSchema.safeParse(input) : { success: true, data };
}

/** The mention zod would make of `v`, when every field is plainly valid; null when unsure. */
function plainMention(v: unknown): Mention | null {
  if (!isPlainObject(v)) return null;
  const { source, id, url, text, lang, createdAt, account, author, replyTo, repostOf, quoteOf } = v;
  if (!isString(source, 1, LIMITS.source) || !SOURCE.test(source) || !isString(id, 1, LIMITS.id) || !isString(text, 0, LIMITS.text)) return null;
  if (!isNullish(url) && !isPlainUrl(url)) return null;
  if (!isNullish(lang) && !isString(lang, LIMITS.lang[0], LIMITS.lang[1])) return null;
  if (typeof createdAt !== 'string' || !ISO_DATETIME.test(createdAt)) return null;
  if (!isNullishString(account, LIMITS.account) || !isNullishString(replyTo, LIMITS.ref) || !isNullishString(repostOf, LIMITS.ref) || !isNullishString(quoteOf, LIMITS.ref)) return null;
  const who = plainAuthor(author);
  if (who === null) return null;
  // Optional fields as zod writes them: there whenever the input has the key, even undefined.
  const out: Record<string, unknown> = { source, id };
  if ('url' in v) out.url = url;
  out.text = text;
  if ('lang' in v) out.lang = lang;
  out.createdAt = createdAt;
  if ('account' in v) out.account = account;
  out.author = who;
  if ('replyTo' in v) out.replyTo = replyTo;
  if ('repostOf' in v) out.repostOf = repostOf;
  if ('quoteOf' in v) out.quoteOf = quoteOf;
  return out as Mention;
}

function plainAuthor(v: unknown): Author | null {
  if (!isPlainObject(v)) return null;
  const { id, handle, name, followers, verified, bio } = v;
  if (!isString(id, 1, LIMITS.authorId) || !isString(handle, 1, LIMITS.handle)) return null;
  if (name !== undefined && !isString(name, 0, LIMITS.name)) return null;
  if (followers !== undefined && !(typeof followers === 'number' && Number.isSafeInteger(followers) && followers >= 0)) return null;
  if (verified !== undefined && typeof verified !== 'boolean') return null;
  if (bio !== undefined && !isString(bio, 0, LIMITS.bio)) return null;
  const out: Record<string, unknown> = { id, handle };
  if ('name' in v) out.name = name;
  if ('followers' in v) out.followers = followers;
  if ('verified' in v) out.verified = verified;
  if ('bio' in v) out.bio = bio;
  return out as Author;
}

/** The schema's own datetime pattern, so both paths accept the same timestamps. */
const ISO_DATETIME: RegExp = createdAtSchema._zod.pattern;
/** What zod's URL check trims or deletes (edge whitespace, tabs and newlines): such a URL goes to zod. */
const URL_REWRITTEN = /^\s|\s$|[\t\n\r]/;

function isPlainUrl(v: unknown): boolean {
  return isString(v, 0, LIMITS.url) && !URL_REWRITTEN.test(v) && URL.canParse(v);
}

function isString(v: unknown, min: number, max: number): v is string {
  return typeof v === 'string' && v.length >= min && v.length <= max;
}

function isNullish(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/** A `z.string().min(1).max(max).nullish()` value. */
function isNullishString(v: unknown, max: number): boolean {
  return isNullish(v) || isString(v, 1, max);
}
