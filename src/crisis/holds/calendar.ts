import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ErrorCode, VigieError } from '../../core/errors.js';
import { describeIssues } from '../../core/zod-issues.js';
import { parseIcs } from './ics.js';

/** A scheduled promotional post, from the editorial calendar (YAML or ICS). */
export interface ScheduledPost {
  id: string;
  title: string;
  at: Date;
  /** Words the post is about (`station`, `rénovation`): compared with crisis terms and story texts. */
  subjects: string[];
  /** Site keys (config accounts' `site`); empty means the whole organisation. */
  sites: string[];
}

const instant = z.union([
  z.date(),
  z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
]);

const yamlCalendar = z.strictObject({
  posts: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,150}$/, 'letters, digits, ".", "_", "@" or "-"'),
        title: z.string().min(1),
        at: instant,
        subjects: z.array(z.string().min(1)).min(1),
        sites: z.array(z.string().min(1)).default([]),
      }),
    )
    .default([]),
});

export type CalendarFormat = 'yaml' | 'ics';

export function calendarFormatOf(name: string, text: string): CalendarFormat {
  return /\.ics$/i.test(name) || /^\s*BEGIN:VCALENDAR/i.test(text) ? 'ics' : 'yaml';
}

/** Parses a calendar's text. Throws `input_invalid` naming the source and each problem. */
export function parseHoldsCalendar(text: string, source: string, options: { format?: CalendarFormat; timeZone?: string } = {}): ScheduledPost[] {
  const format = options.format ?? calendarFormatOf(source, text);
  const fail = (problems: string[]) => new VigieError(ErrorCode.InputInvalid, `Invalid editorial calendar ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  if (format === 'ics') {
    const { events, problems } = parseIcs(text, options.timeZone);
    if (problems.length > 0) throw fail(problems);
    const seen = new Map<string, number>();
    return events.map((e) => {
      // A UID is meant to be unique; a hand-made file may repeat or omit it: ids stay unique anyway.
      const base = e.uid ?? `event-line-${e.line}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      return {
        id: n === 1 ? base : `${base}-${n}`,
        title: e.summary,
        at: e.start,
        subjects: e.categories,
        sites: e.location ? e.location.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '') : [],
      };
    });
  }
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) throw fail(doc.errors.map((e) => `YAML ${e.code} at line ${e.linePos?.[0]?.line ?? '?'}`));
  const parsed = yamlCalendar.safeParse(doc.toJS() ?? {});
  if (!parsed.success) throw fail(describeIssues(parsed.error));
  const ids = new Set<string>();
  const dupes: string[] = [];
  for (const p of parsed.data.posts) {
    if (ids.has(p.id)) dupes.push(`posts: duplicate id "${p.id}"`);
    ids.add(p.id);
  }
  if (dupes.length > 0) throw fail(dupes);
  return parsed.data.posts.map((p) => ({ ...p, sites: p.sites.map((s) => s.toLowerCase()) }));
}

/** Reads a YAML or ICS calendar file (an ICS URL is fetched by the caller and given to `parseHoldsCalendar`). */
export async function loadHoldsCalendar(path: string, options: { timeZone?: string } = {}): Promise<ScheduledPost[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new VigieError(ErrorCode.InputInvalid, `Cannot read the editorial calendar ${path}`, { cause: err });
  }
  return parseHoldsCalendar(text, basename(path), options);
}
