import { describeIssue } from '../core/zod-issues.js';
import { type Mention, parseMention } from '../mentions/mention.js';

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
  const decoded = decode(text, contentType);
  if (!decoded.ok) return decoded;
  const check = new Checker();
  check.items(decoded.items, 0, decoded.items.length);
  return check.result();
}

/** Mentions checked between two turns of the event loop (about a millisecond of work). */
const CHECK_SLICE = 250;

/**
 * parseMentionsBody for the server: checking a 1 MB body takes tens of milliseconds, so it is done
 * in slices that let other requests, chat calls and database answers through in between.
 */
export async function parseMentionsBodyInTurns(text: string, contentType: string | undefined): Promise<ParsedBody> {
  const decoded = decode(text, contentType);
  if (!decoded.ok) return decoded;
  const check = new Checker();
  for (let from = 0; from < decoded.items.length; from += CHECK_SLICE) {
    if (from > 0) await new Promise((resolve) => setImmediate(resolve));
    check.items(decoded.items, from, Math.min(decoded.items.length, from + CHECK_SLICE));
  }
  return check.result();
}

/** The body's JSON values, or why it is not JSON. */
function decode(text: string, contentType: string | undefined): { ok: true; items: unknown[] } | (ParsedBody & { ok: false }) {
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
  return { ok: true, items };
}

/** Checks items against the mention format, collecting the mentions and the first problems. */
class Checker {
  private readonly mentions: Mention[] = [];
  private readonly problems: ParseProblem[] = [];
  private invalid = 0;

  items(items: readonly unknown[], from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const r = parseMention(items[i]);
      if (r.success) this.mentions.push(r.data);
      else if (this.invalid++ < MAX_PROBLEMS) this.problems.push({ index: i + 1, errors: r.error.issues.map(describeIssue) });
    }
  }

  result(): ParsedBody {
    if (this.invalid > 0) return { ok: false, problems: this.problems, message: `${this.invalid} invalid mention(s)` };
    return { ok: true, mentions: this.mentions };
  }
}
