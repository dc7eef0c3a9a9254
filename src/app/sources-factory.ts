import type { CliContext } from '../cli/context.js';
import type { Source } from '../sources/port.js';
import type { Database } from '../../adapters/db/connect.js';

/** Network sources from the configuration's `sources:` list. */
export async function createSourcesFromConfig(ctx: CliContext, _database: Database): Promise<Source[]> {
  if (ctx.loaded.config.sources.length === 0) return [];
  throw new Error('sources are configured but this build has no source adapters');
}
