import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { takeTurns } from '../../adapters/db/pglite-turns.js';
import { pgliteDb, type TestDb } from '../support/databases.js';

let open: TestDb | null = null;
afterEach(async () => {
  await open?.cleanup();
  open = null;
});

it('lets a socket round trip finish while a chain of queries awaits one another', async () => {
  open = await pgliteDb();
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    let answered = false;
    const req = request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/' }, (res) => {
      res.resume();
      res.on('end', () => {
        answered = true;
      });
    });
    req.end();
    // A feed of ingest batches is such a chain: each statement resolves as a microtask, so without a
    // turn of the event loop in between the answer would wait for the whole chain.
    let queries = 0;
    while (!answered && queries < 2_000) {
      await open.database.rows(sql`select 1`);
      queries += 1;
    }
    expect(answered).toBe(true);
    expect(queries).toBeLessThan(2_000);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

it('hands statements to PGlite in the order they were issued, each after a turn', async () => {
  const seen: string[] = [];
  const client = {
    query: async (q: string) => {
      seen.push(q);
      return { rows: [], fields: [] };
    },
    exec: async (q: string) => {
      seen.push(q);
      return [];
    },
    transaction: async (work: (tx: unknown) => Promise<unknown>) => {
      seen.push('transaction');
      return work({});
    },
  } as unknown as PGlite;
  const pending: Array<() => void> = [];
  const turns = takeTurns(client, () => new Promise<void>((resolve) => pending.push(resolve)));

  const done = Promise.all([turns.query('a'), turns.transaction(async () => 'tx'), turns.exec('b'), turns.query('c')]);
  await Promise.resolve();
  expect(seen).toEqual([]); // nothing reaches the database before its turn
  for (const next of pending) next();
  await done;
  expect(seen).toEqual(['a', 'transaction', 'b', 'c']);
});
