import type { z } from 'zod';
import { describeIssue } from '../../../src/core/zod-issues.js';
import { type MentionInput, mentionSchema } from '../../../src/mentions/mention.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** JSON text → schema-checked value, or the reason in words (the field and what is wrong). */
export function parseJsonPayload<S extends z.ZodType>(text: string, schema: S): Parsed<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON (${(err as Error).message})` };
  }
  return checkPayload(json, schema);
}

export function checkPayload<S extends z.ZodType>(value: unknown, schema: S): Parsed<z.output<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: result.error.issues.slice(0, 3).map(describeIssue).join('; ') };
}

/**
 * Last check before the sink: what a source built must be a valid mention, or the whole batch
 * would be refused by ingest because of one odd post.
 */
export function checkMention(mention: MentionInput): Parsed<MentionInput> {
  const result = mentionSchema.safeParse(mention);
  if (result.success) return { ok: true, value: mention };
  return { ok: false, reason: result.error.issues.slice(0, 3).map(describeIssue).join('; ') };
}

/** A short excerpt of a refused payload for the log line (never the whole thing). */
export function excerpt(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Cuts a string to the mention format's limits without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}

/** An ISO date, or null when the value is not a date. */
export function isoOrNull(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
