import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ErrorCode, VigieError } from '../core/errors.js';
import { describeIssue } from '../core/zod-issues.js';
import { packLists } from './query/pack-lists.js';
import { parseQuery } from './query/parser.js';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits or "-"');

export const ruleSchema = z.strictObject({
  /** Unique in the pack; shown with its category: `security/bomb-alert`. */
  id: slug,
  /** security, safety, disruption, accessibility, aggression, reputation, politics, press, praise… */
  category: slug,
  /** Points the rule adds to the score; negative weights damp (e.g. an announced drill). */
  weight: z.number().int().min(-100).max(100),
  query: z.string().min(1).max(10_000),
  /** Only for mentions of these accounts (a mention with no account is not excluded). */
  accounts: z.array(z.string().min(1)).optional(),
  /** Only for mentions in these languages (an unknown language is not excluded). */
  langs: z.array(z.string().min(2).max(10)).optional(),
  /**
   * For a negative weight: take the points away only from rules of these categories, and at most
   * what they gave. "False alarm, just a suitcase. Still zero information" loses its security
   * points and keeps its complaint. Without it a negative weight damps the whole score.
   */
  damps: z.array(slug).min(1).optional(),
  description: z.string().optional(),
});
export type RuleDef = z.infer<typeof ruleSchema>;

/**
 * A rule pack file. Paging is by level, never by category; the `praise` category is counted for the
 * digest (good buzz) and never paged.
 */
export const rulePackSchema = z
  .strictObject({
    version: z.literal(1).default(1),
    name: z.string().optional(),
    /** Named word lists a query uses as `$name` (an OR of the items, each itself a query). */
    lists: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/i), z.array(z.string().min(1)).min(1)).default({}),
    rules: z.array(ruleSchema).min(1),
  })
  .superRefine((pack, ctx) => {
    const seen = new Set<string>();
    pack.rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id "${r.id}"` });
      seen.add(r.id);
      if (r.damps && r.weight >= 0) ctx.addIssue({ code: 'custom', path: ['rules', i, 'damps'], message: 'only a negative weight damps' });
    });
  });

export interface RulePack extends z.infer<typeof rulePackSchema> {
  /** Where the pack came from, for error messages: file name and the line of each rule / list. */
  origin?: { file: string; lines: Record<string, number> } | undefined;
}

/** Validates a pack given as data (e.g. from `replaceRules`) and compiles every query once. */
export function validateRulePack(input: unknown, file = '(rule pack)'): RulePack {
  if (typeof input === 'object' && input !== null && CHECKED.has(input)) return input as RulePack;
  // A pack from parseRulePack carries its origin (not part of the file format): keep it aside.
  const { origin, ...data } = (typeof input === 'object' && input !== null ? input : { input }) as RulePack & Record<string, unknown>;
  const parsed = rulePackSchema.safeParse(typeof input === 'object' && input !== null ? data : input);
  if (!parsed.success) {
    throw new VigieError(ErrorCode.RuleSyntax, `${origin?.file ?? file}: invalid rule pack\n${parsed.error.issues.map((i) => `  ${describeIssue(i)}`).join('\n')}`);
  }
  const pack: RulePack = { ...parsed.data, origin };
  return checked(pack);
}

/**
 * Packs this module has checked (schema and every query). The engine is handed the pack that
 * `parseRulePack` returned: checking it again parsed all its queries twice more and took about as
 * long as reading the file. A checked pack is treated as read-only.
 */
const CHECKED = new WeakSet<object>();

function checked(pack: RulePack): RulePack {
  const problems = queryProblems(pack);
  if (problems.length > 0) throw new VigieError(ErrorCode.RuleSyntax, problems.join('\n'));
  CHECKED.add(pack);
  return pack;
}

/** Parses and checks a pack's YAML text; errors name the file, the line and the rule. */
export function parseRulePack(yamlText: string, fileName: string): RulePack {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new VigieError(ErrorCode.RuleSyntax, `${fileName}: not valid YAML\n${doc.errors.map((e) => `  ${e.message}`).join('\n')}`);
  }
  const data: unknown = doc.toJS();
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    const node = doc.getIn(path as unknown[], true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  const parsed = rulePackSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const line = lineOf(issue.path);
      return `  ${fileName}${line ? `:${line}` : ''} ${describeIssue(issue)}`;
    });
    throw new VigieError(ErrorCode.RuleSyntax, `${fileName}: invalid rule pack\n${lines.join('\n')}`);
  }
  const lines: Record<string, number> = {};
  parsed.data.rules.forEach((r, i) => {
    const line = lineOf(['rules', i, 'query']);
    if (line) lines[r.id] = line;
  });
  for (const name of Object.keys(parsed.data.lists)) {
    const line = lineOf(['lists', name]);
    if (line) lines[`$${name}`] = line;
  }
  return checked({ ...parsed.data, origin: { file: fileName, lines } });
}

/** Every query error of a pack (not only the first), for `vigie rules check`. */
export function queryProblems(pack: RulePack): string[] {
  const problems: string[] = [];
  const file = pack.origin?.file;
  const lists = packLists(pack, problems);
  for (const rule of pack.rules) {
    try {
      parseQuery(rule.query, { origin: { file, ruleId: rule.id, line: pack.origin?.lines[rule.id] }, lists });
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  return problems;
}

/** Reads a pack file (the only I/O here). */
export async function loadRulePack(path: string | URL): Promise<RulePack> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new VigieError(ErrorCode.ConfigInvalid, `cannot read rule pack ${String(path)}`, { cause });
  }
  return parseRulePack(text, path instanceof URL ? path.pathname : path);
}
