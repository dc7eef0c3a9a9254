import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { enginePaths, locateConfig } from '../config/load.js';
import { LEVELS, type Level } from '../core/levels.js';
import { describeIssue } from '../core/zod-issues.js';
import { type EngineAccount, createEngine } from '../engine/create-engine.js';
import { explainQuery } from '../engine/explain.js';
import { packLists } from '../engine/query/pack-lists.js';
import { loadTextModel, type TextModelData } from '../engine/model/text-model.js';
import { loadRulePack, type RulePack } from '../engine/rule-pack.js';
import { mentionSchema } from '../mentions/mention.js';
import { LabelFigures } from './label-figures.js';

/** Where the commands write; the process streams by default, buffers in tests. */
export interface EngineCommandsIO {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

/** The bundled pack, resolved from this file so it works from a checkout and an installed package. */
export const DEFAULT_RULE_PACK = new URL('../../rules/default.yaml', import.meta.url);

interface EngineSetup {
  pack: RulePack;
  model: TextModelData | null;
  risk: unknown;
  accounts: EngineAccount[];
}

/**
 * Reads the configuration's `risk`, `rules` and `accounts` keys and `--rules`; no database, no
 * network. The configuration is found as `vigie start` finds it (`--config`, `$VIGIE_CONFIG`,
 * ./vigie.config.yaml, the bundled example), so a backtest scores and groups as the running bot would.
 */
async function loadSetup(opts: { rules?: string; config?: string; model?: string | false }): Promise<EngineSetup> {
  const { file } = locateConfig(opts.config ?? process.env.VIGIE_CONFIG);
  const config = (parseYaml(await readFile(file, 'utf8')) ?? {}) as Record<string, unknown>;
  const named = enginePaths(config, file);
  const packPath = opts.rules ? resolve(opts.rules) : named.rules;
  const modelPath = opts.model === false ? null : typeof opts.model === 'string' ? resolve(opts.model) : named.model;
  const accounts: EngineAccount[] = Array.isArray(config.accounts)
    ? config.accounts
        .filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null && typeof (a as { handle?: unknown }).handle === 'string')
        .map((a) => ({
          handle: a.handle as string,
          site: typeof a.site === 'string' ? a.site : undefined,
          aliases: Array.isArray(a.aliases) ? a.aliases.filter((x): x is string => typeof x === 'string') : undefined,
        }))
    : [];
  return { pack: await loadRulePack(packPath), model: modelPath ? await loadTextModel(modelPath) : null, risk: config.risk ?? {}, accounts };
}

function fail(io: EngineCommandsIO, err: unknown): void {
  io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}

/** Adds `score`, `rules check` and `rules explain` to the CLI. */
export function registerEngineCommands(program: Command, io: EngineCommandsIO = process): void {
  program
    .command('score')
    .description('Score a JSONL file of mentions with a rule pack (backtest): one JSON line per mention on stdout, a summary on stderr')
    .argument('<file>', 'mentions, one JSON object per line (with "expected": none, watch, high or critical, the summary compares with it)')
    .option('--rules <pack>', 'rule pack YAML (default: the bundled pack, or the config file\'s "rules")')
    .option('--model <file>', 'text model JSON (default: the bundled model, or the config file\'s "model")')
    .option('--no-model', 'score with the rules alone')
    .option('--config <file>', 'configuration file: its "risk", "rules", "model" and "accounts" keys are used (default: $VIGIE_CONFIG, ./vigie.config.yaml, or the bundled example)')
    .action(async (file: string, opts: { rules?: string; config?: string; model?: string | false }) => {
      try {
        await score(file, await loadSetup(opts), io);
      } catch (err) {
        fail(io, err);
      }
    });

  const rules = program.command('rules').description('Check and explain watch rules');
  rules
    .command('check')
    .description('Check a rule pack: schema, duplicate ids, and every query')
    .argument('<path>', 'rule pack YAML')
    .action(async (path: string) => {
      try {
        const pack = await loadRulePack(resolve(path));
        const categories = new Set(pack.rules.map((r) => r.category));
        io.stdout.write(`${path}: ${pack.rules.length} rules in ${categories.size} categories, all queries parse\n`);
      } catch (err) {
        fail(io, err);
      }
    });
  rules
    .command('explain')
    .description('Show what a query matches in a text, part by part')
    .argument('<query>', 'a query, or with --rules the id of a rule of the pack')
    .argument('<text>', 'the text of a mention')
    .option('--rules <pack>', 'rule pack whose $lists (and rule ids) the query may use')
    .action(async (query: string, text: string, opts: { rules?: string }) => {
      try {
        const pack = opts.rules ? await loadRulePack(resolve(opts.rules)) : null;
        const rule = pack?.rules.find((r) => r.id === query || `${r.category}/${r.id}` === query);
        const explanation = explainQuery(rule?.query ?? query, text, { lists: pack ? packLists(pack) : undefined });
        io.stdout.write(`text: ${explanation.normalizedText}\n`);
        for (const line of explanation.lines) {
          const found = line.found.length > 0 ? `   ← ${line.found.map((f) => `"${f}"`).join(', ')}` : '';
          io.stdout.write(`${'  '.repeat(line.depth)}${line.matched ? '✓' : '✗'} ${line.part}${found}\n`);
        }
        io.stdout.write(explanation.matched ? 'MATCH\n' : 'NO MATCH\n');
      } catch (err) {
        fail(io, err);
      }
    });
}

async function score(file: string, setup: EngineSetup, io: EngineCommandsIO): Promise<void> {
  const engine = createEngine({ rules: setup.pack, model: setup.model, risk: setup.risk, accounts: setup.accounts });
  const levels = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  const perRule = new Map<string, number>();
  const clusterSizes = new Map<string, number>();
  let lineNo = 0;
  let invalid = 0;
  let scored = 0;
  let lastAt: Date | null = null;
  const labels = new LabelFigures();
  const started = performance.now();
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      invalid++;
      io.stderr.write(`line ${lineNo}: not JSON (${(err as Error).message})\n`);
      continue;
    }
    const parsed = mentionSchema.safeParse(json);
    if (!parsed.success) {
      invalid++;
      io.stderr.write(`line ${lineNo}: ${parsed.error.issues.map(describeIssue).join('; ')}\n`);
      continue;
    }
    const a = engine.analyze(parsed.data);
    scored++;
    levels[a.level]++;
    const expected = LabelFigures.labelOf(json);
    if (expected) labels.add(expected, a.level);
    const names = a.rules.map((r) => `${r.category}/${r.ruleId}`);
    for (const n of names) perRule.set(n, (perRule.get(n) ?? 0) + 1);
    clusterSizes.set(a.cluster.id, a.cluster.count);
    const at = new Date(parsed.data.createdAt);
    if (!lastAt || at > lastAt) lastAt = at;
    io.stdout.write(`${JSON.stringify({ id: parsed.data.id, score: a.score, level: a.level, rules: names, reasons: a.reasons.map((r) => r.text), cluster: a.cluster.id })}\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  const rate = seconds > 0 ? Math.round(scored / seconds) : scored;
  const summary = [
    `scored ${scored} mentions in ${seconds.toFixed(2)} s (${rate.toLocaleString('en')}/s)${invalid > 0 ? `, ${invalid} invalid lines skipped` : ''}`,
    `levels: ${LEVELS.map((l) => `${l} ${levels[l]}`).join(' · ')}`,
    `rules: ${
      [...perRule.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([n, c]) => `${n} ${c}`)
        .join(', ') || '(none hit)'
    }`,
    `clusters: ${clusterSizes.size}${largest(clusterSizes)}`,
    ...labels.lines(),
  ];
  if (lastAt) {
    const spikes = engine.spikes(lastAt);
    if (spikes.length > 0) summary.push(`spikes at ${lastAt.toISOString()}: ${spikes.map((s) => s.text).join('; ')}`);
  }
  io.stderr.write(`${summary.join('\n')}\n`);
}

function largest(sizes: Map<string, number>): string {
  const top = [...sizes.entries()].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1]).slice(0, 3);
  return top.length > 0 ? ` (largest: ${top.map(([id, n]) => `${id} ×${n}`).join(', ')})` : '';
}

/** For running from a checkout: the path of the bundled pack. */
export function defaultRulePackPath(): string {
  return fileURLToPath(DEFAULT_RULE_PACK);
}
