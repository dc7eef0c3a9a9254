import { z } from 'zod';

/**
 * `/crisis` command text → a typed command. Pure: the caller resolves the target crisis
 * (resolve-target.ts), checks permissions and does the work. Errors are codes with details, turned
 * into a usage notice (usage-notice.ts); nothing here ever throws on user input.
 *
 *   open TITLE [site:SITE] [severity:1-3] [terms:"a, b"]   quotes allowed around the title
 *   update [#ID] TEXT · relay [#ID] TEXT-OR-LINK · status [#ID] · close [#ID] [SUMMARY] · help
 */

export type Severity = 1 | 2 | 3;

export type CrisisCommand =
  | { verb: 'open'; title: string; site: string | null; severity: Severity | null; terms: string[] }
  | { verb: 'update'; crisisId: number | null; text: string }
  | { verb: 'relay'; crisisId: number | null; text: string; url: string | null }
  | { verb: 'status'; crisisId: number | null }
  | { verb: 'close'; crisisId: number | null; summary: string | null }
  | { verb: 'help' };
export type CrisisVerb = CrisisCommand['verb'];

export type CrisisCommandErrorCode =
  | 'unknown-verb'
  | 'missing-title'
  | 'missing-text'
  | 'bad-severity'
  | 'bad-site'
  | 'unknown-site'
  | 'bad-option'
  | 'unclosed-quote'
  | 'too-long';

export interface CrisisCommandError {
  code: CrisisCommandErrorCode;
  /** The verb the person meant, when known: the usage notice shows that verb's syntax. */
  verb?: CrisisVerb;
  detail?: string;
  /** For `unknown-site`: the configured sites. */
  known?: string[];
}

export type ParsedCrisisCommand = { ok: true; command: CrisisCommand } | { ok: false; error: CrisisCommandError };

export const CRISIS_VERBS: readonly CrisisVerb[] = ['open', 'update', 'relay', 'status', 'close', 'help'];
const VERB_ALIASES: Record<string, CrisisVerb> = { ouvrir: 'open', maj: 'update', relayer: 'relay', statut: 'status', etat: 'status', 'état': 'status', fermer: 'close', clore: 'close', aide: 'help' };

const LIMITS = { title: 200, text: 3_000, command: 4_000 } as const;

const siteSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/);
const severitySchema = z.coerce.number().int().min(1).max(3);
const idToken = /^#(\d{1,9})$/;
const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/;
const QUOTES: Record<string, string> = { '"': '"', '“': '”', '«': '»', "'": "'" };

interface Token {
  text: string;
  quoted: boolean;
}

/** Splits on spaces, keeping "…", “…”, «…» and '…' groups (only when the quote opens a word). */
function tokenize(input: string): Token[] | { unclosed: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i]!)) i++;
    if (i >= input.length) break;
    const open = input[i]!;
    const close = QUOTES[open];
    if (close) {
      const end = input.indexOf(close, i + 1);
      // An apostrophe with no closing one is just an apostrophe (l'aéroport): not an error.
      if (end < 0) {
        if (open === "'") {
          const j = nextSpace(input, i);
          tokens.push({ text: input.slice(i, j), quoted: false });
          i = j;
          continue;
        }
        return { unclosed: open };
      }
      tokens.push({ text: input.slice(i + 1, end).trim(), quoted: true });
      i = end + 1;
      continue;
    }
    // `terms:"a, b"`: a quote right after an option's `:` or `=` runs to its closing quote.
    let j = i;
    let word = '';
    while (j < input.length && !/\s/.test(input[j]!)) {
      const closer = QUOTES[input[j]!];
      const afterOption = j > i && (input[j - 1] === ':' || input[j - 1] === '=');
      const end = closer && afterOption ? input.indexOf(closer, j + 1) : -1;
      if (closer && afterOption && input[j] !== "'") {
        if (end < 0) return { unclosed: input[j]! };
        word += input.slice(j + 1, end);
        j = end + 1;
      } else {
        word += input[j];
        j++;
      }
    }
    tokens.push({ text: word, quoted: false });
    i = j;
  }
  return tokens;
}

function nextSpace(input: string, from: number): number {
  let j = from;
  while (j < input.length && !/\s/.test(input[j]!)) j++;
  return j;
}

/** `site:roissy`, `severity:2`, `terms:"bombe, colis"` (also `site=` and French `gravite:`). */
const OPTION = /^(site|severity|sev|gravite|gravité|terms|termes)[:=](.*)$/i;

function fail(code: CrisisCommandErrorCode, verb?: CrisisVerb, extra: Omit<CrisisCommandError, 'code' | 'verb'> = {}): ParsedCrisisCommand {
  return { ok: false, error: { code, ...(verb ? { verb } : {}), ...extra } };
}

export interface ParseOptions {
  /** Configured site keys (config accounts' `site`); when given, `site:` must be one of them. */
  sites?: readonly string[] | undefined;
}

export function parseCrisisCommand(text: string, options: ParseOptions = {}): ParsedCrisisCommand {
  // Chat clients send control characters and stray newlines; a command is one line of intent.
  const input = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
  if (input.length > LIMITS.command) return fail('too-long', undefined, { detail: String(LIMITS.command) });
  const tokens = tokenize(input);
  if (!Array.isArray(tokens)) return fail('unclosed-quote', undefined, { detail: tokens.unclosed });
  const [first, ...rest] = tokens;
  if (!first) return { ok: true, command: { verb: 'help' } };
  const word = first.text.toLowerCase().replace(/^\//, '');
  const verb = (CRISIS_VERBS as readonly string[]).includes(word) ? (word as CrisisVerb) : VERB_ALIASES[word];
  if (!verb || first.quoted) return fail('unknown-verb', undefined, { detail: first.text.slice(0, 40) });

  if (verb === 'help') return { ok: true, command: { verb } };
  if (verb === 'open') return parseOpen(rest, options);

  let crisisId: number | null = null;
  let body = rest;
  const idMatch = rest[0] && !rest[0].quoted ? idToken.exec(rest[0].text) : null;
  if (idMatch) {
    crisisId = Number(idMatch[1]);
    body = rest.slice(1);
  }
  const joined = body.map((t) => t.text).join(' ').trim();
  if (joined.length > LIMITS.text) return fail('too-long', verb, { detail: String(LIMITS.text) });
  switch (verb) {
    case 'status':
      return { ok: true, command: { verb, crisisId } };
    case 'close':
      return { ok: true, command: { verb, crisisId, summary: joined === '' ? null : joined } };
    case 'update':
      if (joined === '') return fail('missing-text', verb);
      return { ok: true, command: { verb, crisisId, text: joined } };
    case 'relay': {
      if (joined === '') return fail('missing-text', verb);
      const url = URL_IN_TEXT.exec(joined)?.[0]?.replace(/[.,;:!?)\]»]+$/, '') ?? null;
      return { ok: true, command: { verb, crisisId, text: joined, url } };
    }
  }
}

function parseOpen(tokens: Token[], options: ParseOptions): ParsedCrisisCommand {
  const title: string[] = [];
  let site: string | null = null;
  let severity: Severity | null = null;
  let terms: string[] = [];
  for (const token of tokens) {
    const option = token.quoted ? null : OPTION.exec(token.text);
    if (!option) {
      title.push(token.text);
      continue;
    }
    const key = option[1]!.toLowerCase();
    const value = option[2]!;
    if (key === 'site') {
      const parsed = siteSchema.safeParse(value.toLowerCase());
      if (!parsed.success) return fail('bad-site', 'open', { detail: value.slice(0, 40) });
      if (options.sites && !options.sites.includes(parsed.data)) return fail('unknown-site', 'open', { detail: parsed.data, known: [...options.sites] });
      site = parsed.data;
    } else if (key === 'terms' || key === 'termes') {
      terms = value.split(',').map((t) => t.trim()).filter((t) => t !== '');
      if (terms.length === 0) return fail('bad-option', 'open', { detail: token.text.slice(0, 40) });
    } else {
      const parsed = severitySchema.safeParse(value);
      if (!parsed.success || value.trim() === '') return fail('bad-severity', 'open', { detail: value.slice(0, 10) });
      severity = parsed.data as Severity;
    }
  }
  const joined = title.join(' ').trim();
  if (joined === '') return fail('missing-title', 'open');
  if (joined.length > LIMITS.title) return fail('too-long', 'open', { detail: String(LIMITS.title) });
  return { ok: true, command: { verb: 'open', title: joined, site, severity, terms } };
}
