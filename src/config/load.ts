import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { ErrorCode, VigieError } from '../core/errors.js';
import { formatIssuePath } from '../core/zod-issues.js';
import { configSchema, type VigieConfig } from './schema.js';

/** Root of the installed package: bundled rules, templates, example config and demo live here. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLE_CONFIG = resolve(PACKAGE_ROOT, 'config', 'example.vigie.config.yaml');
export const DEFAULT_RULES = resolve(PACKAGE_ROOT, 'rules', 'default.yaml');
export const DEFAULT_MODEL = resolve(PACKAGE_ROOT, 'rules', 'default-model.json');
export const DEFAULT_TEMPLATES = resolve(PACKAGE_ROOT, 'templates');

export interface LoadedConfig {
  /** The file the configuration came from. */
  file: string;
  /** True when no configuration was found and the bundled example is used. */
  isExample: boolean;
  config: VigieConfig;
  /** Absolute paths of the files the configuration points at. */
  paths: { rules: string; model: string | null; templates: string; holds: string | null };
}

/** Finds the configuration: VIGIE_CONFIG, else ./vigie.config.yaml, else the bundled example. */
export function locateConfig(explicit: string | undefined, cwd = process.cwd()): { file: string; isExample: boolean } {
  if (explicit) return { file: resolve(cwd, explicit), isExample: false };
  const local = resolve(cwd, 'vigie.config.yaml');
  if (existsSync(local)) return { file: local, isExample: false };
  return { file: EXAMPLE_CONFIG, isExample: true };
}

export function loadConfig(explicit?: string, cwd = process.cwd()): LoadedConfig {
  const { file, isExample } = locateConfig(explicit, cwd);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new VigieError(ErrorCode.ConfigInvalid, `${file}: cannot read the file (${(cause as Error).message})`, { cause });
  }
  return { ...parseConfig(text, file), isExample };
}

/** Parses and validates configuration text; errors name the file, the path in it, the line and the reason. */
export function parseConfig(text: string, file: string): Omit<LoadedConfig, 'isExample'> {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? `line ${first.linePos[0].line}, column ${first.linePos[0].col}` : 'YAML';
    throw new VigieError(ErrorCode.ConfigInvalid, `${file}: ${where}: ${first.message.split('\n')[0]}`);
  }
  const result = configSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const line = lineOf(doc, text, issue.path);
      const required = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
      return `${file}: ${formatIssuePath(issue.path)}: ${required ? 'required' : issue.message}${line ? ` (line ${line})` : ''}`;
    });
    throw new VigieError(ErrorCode.ConfigInvalid, lines.join('\n'));
  }
  const config = result.data;
  const rel = (p: string) => relativeTo(file, p);
  return {
    file,
    config,
    paths: {
      ...enginePaths(config, file),
      templates: config.templates ? rel(config.templates) : DEFAULT_TEMPLATES,
      holds: config.crisis.holds ? rel(config.crisis.holds) : null,
    },
  };
}

/** A path as written in the configuration file: relative to the file's directory. */
function relativeTo(file: string, p: string): string {
  return isAbsolute(p) ? p : resolve(dirname(file), p);
}

/**
 * The rule pack and text model a configuration names, relative to its file, else the bundled ones;
 * `model: false` means none. Also read by `vigie score`, which takes these keys from any file.
 */
export function enginePaths(config: { rules?: unknown; model?: unknown }, file: string): { rules: string; model: string | null } {
  const rel = (p: string) => relativeTo(file, p);
  return {
    rules: typeof config.rules === 'string' ? rel(config.rules) : DEFAULT_RULES,
    model: config.model === false ? null : typeof config.model === 'string' ? rel(config.model) : DEFAULT_MODEL,
  };
}

/** Line of the deepest node that exists on `path`, so an error points where a person should look. */
function lineOf(doc: Document, text: string, path: ReadonlyArray<PropertyKey>): number | null {
  let node: unknown = doc.contents;
  let found: unknown = node;
  for (const part of path) {
    if (isMap(node)) node = node.get(String(part), true);
    else if (isSeq(node) && typeof part === 'number') node = node.get(part, true);
    else break;
    if (node === undefined) break;
    found = node;
  }
  const range = (found as { range?: [number, number, number] } | undefined)?.range;
  if (!range) return null;
  let line = 1;
  for (let i = 0; i < range[0] && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
