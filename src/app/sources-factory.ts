import { readFileSync } from 'node:fs';
import type { CliContext } from '../cli/context.js';
import { parseRulePack } from '../engine/index.js';
import type { CursorStore, Source } from '../sources/port.js';
import type { Database } from '../../adapters/db/connect.js';
import { Store } from '../../adapters/db/store.js';
import { createSources, parseSourcesConfig } from '../../adapters/sources/index.js';

/** Source cursors live in Postgres beside the mentions they led to. */
export function databaseCursors(store: Store): CursorStore {
  return { get: (key) => store.cursor(key), set: (key, value) => store.setCursor(key, value) };
}

/** Network sources from the configuration's `sources:` list (secrets from the environment). */
export async function createSourcesFromConfig(ctx: CliContext, database: Database): Promise<Source[]> {
  const raw = ctx.loaded.config.sources;
  if (raw.length === 0) return [];
  const config = parseSourcesConfig(raw);
  return createSources(config, {
    env: process.env,
    cursors: databaseCursors(new Store(database)),
    logger: ctx.logger,
    // X's filtered stream gets the watch rules that translate to its syntax.
    watchRules: () => parseRulePack(readFileSync(ctx.loaded.paths.rules, 'utf8'), ctx.loaded.paths.rules).rules.map((r) => ({ id: r.id, query: r.query })),
  });
}
