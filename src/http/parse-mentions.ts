import { describeIssue } from '../core/zod-issues.js';
import { type Mention, mentionSchema } from '../mentions/mention.js';

export interface ParseProblem {
  /** 1-based index of the mention in the body (line number for NDJSON). */
  index: number;
  errors: string[];
}

export type ParsedBody = { ok: true; mentions: Mention[] } | { ok: false; problems: ParseProblem[]; message: string };

const MAX_PROBLEMS = 50;

/**
 * One mention, an array, or NDJSON. All-or-nothing: a body with one bad mention is refused whole,
 * so the sender can fix and resend it without guessing which half landed.
 */
export function parseMentionsBody(text: string, contentType: string | undefined): ParsedBody {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problems: [], message: 'empty body' };
  let items: unknown[];
  const ndjson = /ndjson|jsonl|x-ndjson/.test(contentType ?? '') || (!trimmed.startsWith('[') && trimmed.includes('\n{'));
  if (ndjson) {
    items = [];
    const lines = trimmed.split('\n');
    const problems: ParseProblem[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        items.push(JSON.parse(line));
      } catch (err) {
        problems.push({ index: i + 1, errors: [`line ${i + 1}: not valid JSON (${(err as Error).message})`] });
      }
    });
    if (problems.length > 0) return { ok: false, problems: problems.slice(0, MAX_PROBLEMS), message: 'invalid NDJSON' };
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      return { ok: false, problems: [], message: `not valid JSON: ${(err as Error).message}` };
    }
    items = Array.isArray(parsed) ? parsed : [parsed];
  }
  if (items.length === 0) return { ok: false, problems: [], message: 'no mention in the body' };
  const mentions: Mention[] = [];
  const problems: ParseProblem[] = [];
  items.forEach((item, i) => {
    const r = mentionSchema.safeParse(item);
    if (r.success) mentions.push(r.data);
    else if (problems.length < MAX_PROBLEMS) problems.push({ index: i + 1, errors: r.error.issues.map(describeIssue) });
  });
  if (problems.length > 0) return { ok: false, problems, message: `${problems.length} invalid mention(s)` };
  return { ok: true, mentions };
}

