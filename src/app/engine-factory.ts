import { readFileSync, watch, type FSWatcher } from 'node:fs';
import type { LoadedConfig } from '../config/load.js';
import { ErrorCode, VigieError } from '../core/errors.js';
import { createEngine, parseRulePack } from '../engine/index.js';
import { CompiledPack } from '../engine/match/compile-pack.js';
import { TextModel, textModelFromJson } from '../engine/model/text-model.js';
import type { Engine } from '../engine/types.js';
import type { Logger } from '../ops/logger.js';

function readPack(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new VigieError(ErrorCode.ConfigInvalid, `${path}: cannot read the rule pack (${(cause as Error).message})`, { cause });
  }
  return parseRulePack(text, path);
}

function readModel(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new VigieError(ErrorCode.ConfigInvalid, `${path}: cannot read the text model (${(cause as Error).message})`, { cause });
  }
  return textModelFromJson(text, path);
}

/** The configured rule pack compiled and text model built, ready for `createEngine` (which may share them). */
export function engineParts(loaded: LoadedConfig): { rules: CompiledPack; model: TextModel | null } {
  return { rules: new CompiledPack(readPack(loaded.paths.rules)), model: loaded.paths.model ? new TextModel(readModel(loaded.paths.model)) : null };
}

/**
 * The engine with the configured rule pack, text model, risk settings and watched accounts. Pass
 * `parts` to build several engines (fresh live state each) without compiling again.
 */
export function createEngineFromConfig(loaded: LoadedConfig, parts: ReturnType<typeof engineParts> = engineParts(loaded)): Engine {
  const config = loaded.config;
  return createEngine({
    ...parts,
    risk: config.risk,
    accounts: config.accounts.map((a) => ({ handle: a.handle, site: a.site, aliases: a.aliases })),
  });
}

/**
 * Reloads the rule pack when its file changes. The new pack is compiled beside the old one and
 * swapped in one step, so ingestion never stops; a pack that does not parse is refused and the old
 * one stays.
 */
export function watchRulePack(path: string, engine: Engine, logger: Logger): FSWatcher | null {
  let timer: NodeJS.Timeout | null = null;
  try {
    const watcher = watch(path, () => {
      if (timer) clearTimeout(timer);
      // Editors write in several steps: wait for the file to settle.
      timer = setTimeout(() => {
        try {
          engine.replaceRules(readPack(path));
          logger.info({ path }, 'rule pack reloaded');
        } catch (err) {
          logger.error({ err, path }, 'rule pack change refused; the previous rules stay active');
        }
      }, 300);
    });
    watcher.unref();
    return watcher;
  } catch (err) {
    logger.warn({ err, path }, 'cannot watch the rule pack for changes');
    return null;
  }
}
