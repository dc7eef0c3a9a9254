import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase, type TestDb } from '../support/databases.js';

/**
 * Ingest's statements run as prepared statements on Postgres (the same text at every batch, so the
 * server parses it once per connection). The same text with other parameters must answer for
 * those parameters, and inside a transaction a statement must run in that transaction.
 */
eachDatabase('prepared statements', (open) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.cleanup());

  const keysOf = (values: readonly string[]) =>
    sql`select v from json_array_elements_text(${JSON.stringify(values)}::text::json) as v order by v`;

  it('answers each run with its own parameters', async () => {
    for (const values of [['a', 'b'], ['c'], [], ['d', 'e', 'f'], ['a', 'b'], ['g'], ['h'], ['i']]) {
      const rows = await db.database.prepared.rows<{ v: string }>(keysOf(values));
      expect(rows.map((r) => r.v)).toEqual([...values].sort());
    }
  });

  it('runs in the transaction it was given, and rolls back with it', async () => {
    const insert = (key: string) => sql`insert into source_cursors (key, value) values (${key}, 'v') returning key`;
    await expect(
      db.database.transaction(async (_db, _bulk, prepared) => {
        expect(await prepared.rows<{ key: string }>(insert('k1'))).toEqual([{ key: 'k1' }]);
        // Seen inside the transaction, not outside it yet.
        expect(await prepared.rows(sql`select key from source_cursors where key = 'k1'`)).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db.database.rows(sql`select key from source_cursors`)).toEqual([]);
    await db.database.transaction(async (_db, _bulk, prepared) => prepared.rows(insert('k2')));
    expect(await db.database.rows(sql`select key from source_cursors`)).toEqual([{ key: 'k2' }]);
  });
});
