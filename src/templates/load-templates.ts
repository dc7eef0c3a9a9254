import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ErrorCode, VigieError } from '../core/errors.js';
import { describeIssues } from '../core/zod-issues.js';
import { type ReplyTemplate, templateListSchema, templateSchema } from './schema.js';

/** A template and the file it came from, so later errors can point at it. */
export type LoadedTemplate = ReplyTemplate & { file: string };

/**
 * Parses one YAML file of the library. Returns the templates or the problems, each naming the file
 * and the path inside it (`metro.yaml: [2].variables[0].name: required`).
 */
export function parseTemplateFile(text: string, file: string): { templates: LoadedTemplate[]; problems: string[] } {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    return { templates: [], problems: doc.errors.map((e) => `${file}: YAML ${e.code} at line ${e.linePos?.[0]?.line ?? '?'}`) };
  }
  const raw: unknown = doc.toJS();
  const parsed = Array.isArray(raw) ? templateListSchema.safeParse(raw) : templateSchema.transform((t) => [t]).safeParse(raw);
  if (!parsed.success) return { templates: [], problems: describeIssues(parsed.error).map((line) => `${file}: ${line}`) };
  const list = parsed.data;
  return { templates: list.map((t) => ({ ...t, file })), problems: [] };
}

/** Checks a whole library: every file valid, ids unique across files. Throws `template_invalid` listing every problem. */
export function buildLibrary(files: ReadonlyArray<{ file: string; text: string }>): LoadedTemplate[] {
  const problems: string[] = [];
  const byId = new Map<string, LoadedTemplate>();
  for (const { file, text } of files) {
    const result = parseTemplateFile(text, file);
    problems.push(...result.problems);
    for (const t of result.templates) {
      const first = byId.get(t.id);
      if (first) problems.push(`${file}: id "${t.id}" already defined in ${first.file}`);
      else byId.set(t.id, t);
    }
  }
  if (problems.length > 0) {
    throw new VigieError(ErrorCode.TemplateInvalid, `Invalid reply templates:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** Loads every `*.yaml` / `*.yml` file of a directory (not recursive), sorted by name for stable errors. */
export async function loadTemplates(dir: string): Promise<LoadedTemplate[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (err) {
    throw new VigieError(ErrorCode.TemplateInvalid, `Cannot read the templates directory ${dir}`, { cause: err });
  }
  const files = await Promise.all(names.map(async (file) => ({ file, text: await readFile(join(dir, file), 'utf8') })));
  return buildLibrary(files);
}
