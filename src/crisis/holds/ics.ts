import { isKnownTimeZone, zonedTimeToUtc } from './zoned-time.js';

/**
 * A small, defensive iCalendar (RFC 5545) reader for editorial calendars: VEVENTs only, with UID,
 * DTSTART, SUMMARY, CATEGORIES and LOCATION. Unfolds continuation lines, unescapes text, reads UTC
 * (`…Z`), TZID and floating times and all-day dates. No recurrence expansion (a promotional post is
 * a one-off); a VEVENT with RRULE is reported rather than silently misread.
 */

export interface IcsEvent {
  uid: string | null;
  start: Date;
  allDay: boolean;
  summary: string;
  categories: string[];
  location: string | null;
  /** Line where the VEVENT begins, for error messages. */
  line: number;
}

export interface IcsParseResult {
  events: IcsEvent[];
  problems: string[];
}

const MAX_BYTES = 2_000_000;
const MAX_EVENTS = 10_000;

interface ContentLine {
  name: string;
  params: Record<string, string>;
  value: string;
  line: number;
}

/** RFC 5545 §3.1: a line starting with a space or a tab continues the previous one. */
function unfold(text: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && out.length > 0) out[out.length - 1]!.text += raw.slice(1);
    else if (raw !== '') out.push({ text: raw, line: i + 1 });
  });
  return out;
}

function parseLine(text: string, line: number): ContentLine | null {
  // NAME *(;PARAM=VALUE) : VALUE — the colon that ends the name may not be inside a quoted param.
  let i = 0;
  let quoted = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) break;
  }
  if (i >= text.length) return null;
  const [name, ...rawParams] = text.slice(0, i).split(';');
  const params: Record<string, string> = {};
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { name: (name ?? '').toUpperCase(), params, value: text.slice(i + 1), line };
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Splits on commas that are not escaped, then unescapes each part. */
function splitList(value: string): string[] {
  return value
    .split(/(?<!\\),/)
    .map((v) => unescapeText(v).trim())
    .filter((v) => v !== '');
}

const DATE_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/;
const DATE = /^(\d{4})(\d{2})(\d{2})$/;

function parseStart(prop: ContentLine, defaultTimeZone: string): { at: Date; allDay: boolean } | string {
  const tz = prop.params.TZID ?? defaultTimeZone;
  const dt = DATE_TIME.exec(prop.value);
  const d = dt ? null : DATE.exec(prop.value);
  if (!dt && !d) return `DTSTART "${prop.value.slice(0, 40)}" is not a date-time`;
  const n = (dt ?? d)!.slice(1, 7).map(Number);
  const [year, month, day, hour = 0, minute = 0, second = 0] = n as [number, number, number, number?, number?, number?];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return `DTSTART "${prop.value}" is out of range`;
  if (dt?.[7] === 'Z') return { at: new Date(Date.UTC(year, month - 1, day, hour, minute, second)), allDay: false };
  if (!isKnownTimeZone(tz)) return `unknown TZID "${tz.slice(0, 60)}"`;
  return { at: zonedTimeToUtc({ year, month, day, hour, minute, second }, tz), allDay: d !== null };
}

/** Parses an ICS text; floating times and all-day dates are read in `defaultTimeZone`. */
export function parseIcs(text: string, defaultTimeZone = 'Europe/Paris'): IcsParseResult {
  if (text.length > MAX_BYTES) return { events: [], problems: [`calendar larger than ${MAX_BYTES} bytes`] };
  const events: IcsEvent[] = [];
  const problems: string[] = [];
  let current: ContentLine[] | null = null;
  let begin = 0;
  let sawCalendar = false;
  for (const { text: raw, line } of unfold(text)) {
    const prop = parseLine(raw, line);
    if (!prop) continue;
    if (prop.name === 'BEGIN' && prop.value.toUpperCase() === 'VCALENDAR') sawCalendar = true;
    else if (prop.name === 'BEGIN' && prop.value.toUpperCase() === 'VEVENT') {
      current = [];
      begin = line;
    } else if (prop.name === 'END' && prop.value.toUpperCase() === 'VEVENT' && current) {
      const event = toEvent(current, begin, defaultTimeZone);
      if (typeof event === 'string') problems.push(`line ${begin}: ${event}`);
      else events.push(event);
      current = null;
      if (events.length > MAX_EVENTS) return { events: [], problems: [`more than ${MAX_EVENTS} events`] };
    } else if (current) current.push(prop);
  }
  if (!sawCalendar) problems.push('not an iCalendar file (no BEGIN:VCALENDAR)');
  if (current) problems.push(`line ${begin}: VEVENT not closed`);
  return { events, problems };
}

function toEvent(props: ContentLine[], line: number, defaultTimeZone: string): IcsEvent | string {
  const get = (name: string) => props.find((p) => p.name === name);
  const start = get('DTSTART');
  if (!start) return 'VEVENT without DTSTART';
  if (get('RRULE')) return 'recurring events (RRULE) are not supported for editorial holds';
  const parsed = parseStart(start, defaultTimeZone);
  if (typeof parsed === 'string') return parsed;
  const location = get('LOCATION');
  return {
    uid: get('UID')?.value.trim() || null,
    start: parsed.at,
    allDay: parsed.allDay,
    summary: unescapeText(get('SUMMARY')?.value ?? '').trim(),
    categories: props.filter((p) => p.name === 'CATEGORIES').flatMap((p) => splitList(p.value)),
    location: location ? unescapeText(location.value).trim() || null : null,
    line,
  };
}
