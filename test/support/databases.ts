import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { type Database, openDatabase } from '../../adapters/db/connect.js';
import { Store } from '../../adapters/db/store.js';
import { postgresAvailable, requireServices } from './services.js';

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb {
  database: Database;
  store: Store;
  cleanup(): Promise<void>;
}

/** A migrated PGlite in memory: the embedded default. */
let template: Promise<Blob> | null = null;

export async function pgliteDb(): Promise<TestDb> {
  // initdb + migrations take seconds: do them once per test file and load a copy per test.
  template ??= (async () => {
    const first = await openDatabase({ dataDir: 'memory://' });
    await first.migrate();
    const blob = await (first as Database & { dump(): Promise<Blob> }).dump();
    await first.close();
    return blob;
  })();
  const database = await openDatabase({ dataDir: 'memory://', pgliteTemplate: await template });
  await database.migrate();
  return { database, store: new Store(database), cleanup: () => database.close() };
}

/** A migrated, private schema on the real Postgres, dropped afterwards. */
export async function postgresDb(): Promise<TestDb> {
  const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const database = await openDatabase({ url: TEST_DATABASE_URL, schema, max: 4 });
  await database.migrate();
  return {
    database,
    store: new Store(database),
    async cleanup() {
      await database.rows((await import('drizzle-orm')).sql.raw(`drop schema if exists "${schema}" cascade`));
      await database.close();
    },
  };
}

const pgUp = await postgresAvailable();
if (!pgUp && requireServices()) throw new Error('VIGIE_REQUIRE_SERVICES=1 but Postgres is not reachable at ' + TEST_DATABASE_URL);
if (!pgUp) console.warn(`[vigie tests] Postgres not reachable: the postgres suites are skipped (set DATABASE_URL or start Postgres).`);

/** Runs a suite on PGlite and on Postgres (skipped, and said so, when Postgres is not there). */
export function eachDatabase(name: string, body: (open: () => Promise<TestDb>) => void): void {
  describe(`${name} [pglite]`, () => body(pgliteDb));
  describe.skipIf(!pgUp)(`${name} [postgres]`, () => body(postgresDb));
}
