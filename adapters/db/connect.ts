import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { ErrorCode, VigieError } from '../../src/core/errors.js';
import { type DirectoryLock, lockDirectory } from './pglite-lock.js';
import { takeTurns } from './pglite-turns.js';

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

export type AppDb = PgDatabase<PgQueryResultHKT>;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: AppDb;
  /** Runs raw SQL and returns its rows, whatever the driver's result shape. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  migrate(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; absent means the embedded PGlite. */
  url?: string | undefined;
  /** PGlite data directory; `memory://` for a throwaway database. */
  dataDir?: string;
  /** Postgres schema to use (tests use one per file); created if missing. */
  schema?: string;
  /** Pool size for postgres-js. */
  max?: number;
  /** A PGlite data-directory dump to start from (tests load a migrated template instead of initdb). */
  pgliteTemplate?: Blob;
}

function extractRows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options.dataDir ?? '.vigie/db', options.pgliteTemplate);
}

async function openPostgres(url: string, options: OpenOptions): Promise<Database> {
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new VigieError(ErrorCode.ConfigInvalid, `bad schema name "${schema}"`);
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    ...(schema ? { connection: { search_path: schema } } : {}),
  });
  if (schema) {
    try {
      await client.unsafe(`create schema if not exists "${schema}"`);
    } catch (cause) {
      await client.end({ timeout: 1 });
      throw new VigieError(ErrorCode.DatabaseUnavailable, `cannot reach Postgres: ${(cause as Error).message}`, { cause });
    }
  }
  const db = drizzlePostgres(client) as unknown as AppDb;
  return {
    kind: 'postgres',
    db,
    rows: async <T>(query: SQL) => extractRows<T>(await db.execute(query)),
    migrate: () =>
      migratePostgres(db as never, { migrationsFolder: MIGRATIONS_DIR, migrationsSchema: schema ?? 'drizzle' }),
    ping: async () => {
      try {
        await client`select 1`;
        return true;
      } catch {
        return false;
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string, template?: Blob): Promise<Database & { dump(): Promise<Blob> }> {
  let lock: DirectoryLock | null = null;
  let client: PGlite;
  if (dataDir.startsWith('memory://')) {
    client = await PGlite.create(dataDir, template ? { loadDataDir: template } : {});
  } else {
    const dir = resolve(dataDir);
    mkdirSync(dirname(dir), { recursive: true });
    lock = lockDirectory(dir);
    try {
      client = await PGlite.create(dir);
    } catch (cause) {
      lock.release();
      throw new VigieError(ErrorCode.DatabaseUnavailable, `cannot open the embedded database ${dir}: ${(cause as Error).message}`, { cause });
    }
  }
  // Through takeTurns: see there why each statement first lets the event loop turn.
  const db = drizzlePglite(takeTurns(client) as PGlite) as unknown as AppDb;
  let closed = false;
  return {
    kind: 'pglite',
    db,
    dump: () => client.dumpDataDir('none'),
    rows: async <T>(query: SQL) => extractRows<T>(await db.execute(query)),
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR }),
    ping: async () => {
      if (closed) return false;
      try {
        await client.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

export { sql };
