import { mkdirSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { ErrorCode, VigieError } from '../../src/core/errors.js';
import type { IngestLease } from '../../src/pipeline/ingest-lead.js';
import { type DirectoryLock, lockDirectory } from './pglite-lock.js';
import { takeTurns } from './pglite-turns.js';

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

export type AppDb = PgDatabase<PgQueryResultHKT>;

/**
 * Bulk loading inside a transaction: rows in COPY text format (tab-separated, `\N` for null, see
 * `copy-text.ts`). Only the Postgres connection has one; PGlite takes the INSERT path.
 */
export interface BulkLoader {
  /** `COPY table (columns) FROM STDIN` with these lines; a refused copy is rolled back and leaves the transaction usable. */
  copy(table: string, columns: readonly string[], lines: string | Buffer): Promise<void>;
}

/**
 * Runs raw SQL and answers its rows. On Postgres the statement is a named prepared statement of its
 * connection: ingest sends the same few statement texts at every batch (one JSON parameter per
 * column, whatever the row count), and parsing and planning them again each time cost the server
 * about a tenth of its ingest time. drizzle's `execute` never prepares. PGlite runs it as is.
 */
export interface PreparedRunner {
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: AppDb;
  /** Runs raw SQL and returns its rows, whatever the driver's result shape. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** `rows` as a prepared statement where the driver keeps them (see PreparedRunner). */
  readonly prepared: PreparedRunner;
  /** The lease on ingestion for this database (and schema): see src/pipeline/ingest-lead.ts. */
  ingestLease(): IngestLease;
  /** A transaction; `bulk` is set where the driver can COPY; `prepared` runs in the transaction. */
  transaction<T>(work: (db: AppDb, bulk: BulkLoader | null, prepared: PreparedRunner) => Promise<T>): Promise<T>;
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
    ...noDelaySocket(url),
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
    rows: drizzleRunner(db).rows,
    prepared: preparedRunner(client),
    transaction: <T>(work: (db: AppDb, bulk: BulkLoader | null, prepared: PreparedRunner) => Promise<T>) =>
      db.transaction((tx) => {
        // drizzle's postgres-js transaction runs on the TransactionSql it keeps as `session.client`
        // (its own savepoints use it); COPY and prepared statements need that client. Without it,
        // inserts take the INSERT path and statements go through drizzle.
        const raw = (tx as unknown as { session?: { client?: postgres.TransactionSql } }).session?.client;
        const usable = typeof raw?.savepoint === 'function' ? raw : null;
        const txDb = tx as unknown as AppDb;
        return work(txDb, usable ? copyLoader(usable) : null, usable ? preparedRunner(usable) : drizzleRunner(txDb));
      }),
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
    ingestLease: () => advisoryLease(url, options, `vigie-ingest:${schema ?? 'public'}`),
    close: () => client.end({ timeout: 5 }),
  };
}

/** Raw SQL through drizzle on `db` (never prepared), rows whatever the driver's result shape. */
function drizzleRunner(db: AppDb): PreparedRunner {
  return { rows: async <T>(query: SQL) => extractRows<T>(await db.execute(query)) };
}

/** Turns drizzle's SQL objects into text and parameters, as drizzle's own sessions do. */
const dialect = new PgDialect();

/** Statements as named prepared statements on a postgres-js client (postgres-js caches them per connection). */
function preparedRunner(client: postgres.Sql | postgres.TransactionSql): PreparedRunner {
  return {
    async rows<T>(query: SQL): Promise<T[]> {
      const q = dialect.sqlToQuery(query);
      return (await client.unsafe(q.sql, q.params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as T[];
    },
  };
}

/**
 * A session-level advisory lock on a connection of its own: Postgres frees it when that
 * connection ends, so a lead that dies hands over without anyone cleaning up.
 */
function advisoryLease(url: string, options: OpenOptions, key: string): IngestLease {
  let client: postgres.Sql | null = null;
  const connection = () =>
    (client ??= postgres(url, {
      max: 1,
      // Never recycled behind our back: a new session would not hold the lock.
      idle_timeout: 0,
      max_lifetime: null,
      onnotice: () => {},
      ...noDelaySocket(url),
      ...(options.schema ? { connection: { search_path: options.schema } } : {}),
    }));
  // Taking a held advisory lock again succeeds in the same session (and counts once more, which
  // the release undoes at once): so a check is a try, answered true only by the holder.
  const attempt = async () => {
    const [row] = await connection()<{ held: boolean }[]>`select pg_try_advisory_lock(hashtext(${key})) as held`;
    return row?.held === true;
  };
  return {
    tryAcquire: attempt,
    check: attempt,
    async release() {
      if (!client) return;
      const c = client;
      client = null;
      await c`select pg_advisory_unlock_all()`.catch(() => undefined);
      await c.end({ timeout: 5 });
    },
  };
}

/**
 * A socket with Nagle's algorithm off. postgres-js leaves it on; a COPY then ends with a small
 * CopyDone message that waits for the server to acknowledge the data, which Linux delays by 40 ms:
 * every batch paid 80 ms of idle wire. Only for a plain single-host TCP URL; anything else
 * (several hosts, a Unix socket) keeps postgres-js's own connection logic.
 */
function noDelaySocket(url: string): { socket?: (options: { host: string[]; port: number[] }) => Socket } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {};
  }
  // Several hosts, or a Unix socket path (`?host=/run/postgresql`, or percent-encoded in the host).
  if (parsed.hostname === '' || /[,%/]/.test(parsed.hostname) || parsed.searchParams.has('host')) return {};
  return {
    socket: ({ host, port }) => {
      // postgres-js writes its startup message right away; a connecting socket buffers it.
      const socket = connectTcp({ host: host[0]!, port: port[0]! });
      socket.setNoDelay(true);
      return socket;
    },
  };
}

/**
 * COPY FROM STDIN through postgres-js, behind a savepoint so that a refused copy leaves the
 * transaction usable. The savepoint goes out with the COPY (no round trip of its own) and is left
 * for the commit to release.
 */
function copyLoader(tx: postgres.TransactionSql): BulkLoader {
  let savepoints = 0;
  return {
    async copy(table, columns, lines) {
      const name = `vigie_copy_${++savepoints}`;
      const savepoint = tx.unsafe(`savepoint ${name}`).execute();
      const query = tx.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`);
      const refused = whenRefused(query);
      try {
        await savepoint;
        const stream = await query.writable();
        await new Promise<void>((resolve, reject) => {
          refused.catch(reject);
          stream.on('error', reject);
          stream.on('finish', resolve);
          stream.end(lines);
        });
      } catch (err) {
        await tx.unsafe(`rollback to savepoint ${name}`);
        throw err;
      }
    },
  };
}

/**
 * Settles when the server refuses the query. A COPY refused after its last row (a unique violation
 * is found at the end) is reported by postgres-js only through the query's `reject`, on a promise
 * that has already resolved to the stream, and the stream never finishes
 * (https://github.com/porsager/postgres/issues/1173): so the refusal is caught where it is made.
 */
function whenRefused(query: object): Promise<never> {
  const pending = query as unknown as { reject?: (err: unknown) => void };
  return new Promise<never>((_, reject) => {
    const original = pending.reject;
    if (typeof original !== 'function') return;
    pending.reject = (err: unknown) => {
      reject(err);
      original(err);
    };
  });
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
  const direct = drizzleRunner(db);
  let closed = false;
  return {
    kind: 'pglite',
    db,
    dump: () => client.dumpDataDir('none'),
    // One process per data directory (the directory lock): it is always the one ingesting.
    ingestLease: () => ({ tryAcquire: async () => !closed, check: async () => !closed, release: async () => {} }),
    rows: direct.rows,
    // As PreparedRunner says: PGlite runs statements as they are, in or out of a transaction.
    prepared: direct,
    transaction: <T>(work: (db: AppDb, bulk: BulkLoader | null, prepared: PreparedRunner) => Promise<T>) =>
      db.transaction((tx) => work(tx as unknown as AppDb, null, drizzleRunner(tx as unknown as AppDb))),
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
