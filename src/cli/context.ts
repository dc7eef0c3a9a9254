import { resolve } from 'node:path';
import { type LoadedConfig, loadConfig } from '../config/load.js';
import { parseEnv, type VigieEnv } from '../config/env.js';
import { isVigieError } from '../core/errors.js';
import { createLogger, type Logger } from '../ops/logger.js';
import { type Database, openDatabase } from '../../adapters/db/connect.js';
import { Store } from '../../adapters/db/store.js';

export interface CliContext {
  env: VigieEnv;
  loaded: LoadedConfig;
  logger: Logger;
}

/** Reads the environment and the configuration; a bad one ends the command with its message. */
export function cliContext(configPath?: string): CliContext {
  const env = parseEnv();
  const loaded = loadConfig(configPath ?? env.VIGIE_CONFIG);
  const logger = createLogger({ level: env.LOG_LEVEL, ...(env.LOG_FORMAT ? { pretty: env.LOG_FORMAT === 'pretty' } : {}) });
  return { env, loaded, logger };
}

export function dataDir(env: VigieEnv): string {
  return resolve(env.VIGIE_DATA_DIR, 'db');
}

export async function openStore(env: VigieEnv): Promise<{ database: Database; store: Store }> {
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: dataDir(env) });
  await database.migrate();
  return { database, store: new Store(database) };
}

/** Prints a coded error as one clear message (no stack trace) and sets a failing exit code. */
export function reportError(err: unknown): void {
  if (isVigieError(err)) {
    process.stderr.write(`vigie: ${err.message}\n`);
  } else {
    process.stderr.write(`vigie: unexpected error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  }
  process.exitCode = process.exitCode || 1;
}
