import type { PGlite, QueryOptions, Results, Transaction } from '@electric-sql/pglite';

/** What drizzle's PGlite driver calls on its client. */
export type PgliteClient = Pick<PGlite, 'query' | 'exec' | 'transaction'>;

/** Resolves on the event loop's next check phase, after pending I/O and timers had their turn. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * PGlite runs each query synchronously inside WebAssembly and resolves its promise as a microtask,
 * so a caller that chains queries (a feed of ingest batches awaiting one another) never gives the
 * event loop back: timers, sockets and HTTP answers wait until the whole chain ends. The Slack call
 * of a critical card built in 200 ms left the process seconds later, once the feed was over.
 *
 * Each query and each transaction started outside a transaction therefore first waits for the next
 * turn of the event loop. setImmediate callbacks run in the order they were queued, so statements
 * still reach PGlite's (first come, first served) lock in the order they were issued. Statements
 * inside a transaction run straight on: the transaction holds the database, yielding there would
 * only make it hold it longer.
 */
export function takeTurns(client: PGlite, turn: () => Promise<void> = nextTurn): PgliteClient {
  return {
    async query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
      await turn();
      return client.query<T>(query, params, options);
    },
    async exec(query: string, options?: QueryOptions): Promise<Results[]> {
      await turn();
      return client.exec(query, options);
    },
    async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
      await turn();
      return client.transaction(callback);
    },
  };
}
