import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { LEVELS } from '../core/levels.js';
import { describeIssue } from '../core/zod-issues.js';
import { trainTextModel, type TrainingExample } from '../engine/model/train-model.js';
import type { TextModelData } from '../engine/model/text-model.js';
import { mentionContext } from '../engine/model/context.js';
import { normalizeText } from '../engine/normalize/normalize-text.js';
import type { EngineCommandsIO } from './engine-commands.js';
import { lineLabelSchema } from './label-figures.js';

/** A labelled mention: any mention line with the level a person gave it (and what its context features read). */
const labelledSchema = lineLabelSchema.extend({
  text: z.string().max(20_000),
  replyTo: z.string().nullish(),
});

/**
 * Reads labelled JSONL files for training; a bad line is an error naming the file, the line and the
 * field. Lines whose level is a convention of their set (`"expectedBy": "convention"`) are left out.
 */
export async function readLabelled(files: readonly string[]): Promise<TrainingExample[]> {
  const out: TrainingExample[] = [];
  for (const file of files) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message})`);
      }
      const parsed = labelledSchema.safeParse(json);
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map(describeIssue).join('; ')}`);
      if (parsed.data.expectedBy === 'convention') return;
      const norm = normalizeText(parsed.data.text);
      out.push({ keys: norm.keys, context: mentionContext(parsed.data, norm), expected: parsed.data.expected });
    });
  }
  return out;
}

/** One weight per line: a retrained model reviews as a diff of the words that moved. */
export function modelJson(model: TextModelData): string {
  const { weights, ...head } = model;
  const rows = Object.entries(weights).map(([name, w]) => `    ${JSON.stringify(name)}: ${JSON.stringify(w)}`);
  const top = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${top},\n  "weights": {\n${rows.join(',\n')}\n  }\n}\n`;
}

/** Adds `model train`. */
export function registerModelCommands(program: Command, io: EngineCommandsIO = process): void {
  const model = program.command('model').description('Train the text model that reads mentions beside the rules');
  model
    .command('train')
    .description('Train a text model on labelled mentions (JSONL lines with "text" and "expected": none, watch, high or critical)')
    .argument('<files...>', 'labelled JSONL files')
    .option('--out <file>', 'where to write the model', 'vigie-model.json')
    .action(async (files: string[], opts: { out: string }) => {
      try {
        const examples = await readLabelled(files);
        const trained = trainTextModel(examples, { files: files.map((f) => f.replace(/^.*\//, '')) });
        await writeFile(resolve(opts.out), modelJson(trained));
        const counts = LEVELS.map((l) => `${l} ${examples.filter((e) => e.expected === l).length}`).join(' · ');
        io.stdout.write(`${opts.out}: trained on ${examples.length} mentions (${counts}), ${Object.keys(trained.weights).length} features kept\n`);
        io.stdout.write('Point `model:` in the configuration at it, and try it first with `vigie score FILE --model PATH`.\n');
      } catch (err) {
        io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    });
}
