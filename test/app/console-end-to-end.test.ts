import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { type ConsolePlatform, createConsolePlatform } from '../../adapters/chat/console/console-platform.js';
import { openDatabase } from '../../adapters/db/connect.js';
import { createMemoryQueue } from '../../adapters/queue/memory/memory-queue.js';
import { createApp } from '../../src/app/create-app.js';
import { parseEnv } from '../../src/config/env.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/ops/logger.js';
import { mention } from '../support/fixtures.js';
import { keywordEngine } from '../support/keyword-engine.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function startApp(dir: string) {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c: Buffer) => (printed += c.toString()));
  const console = createConsolePlatform({ output, channel: 'veille', journalPath: join(dir, 'journal.ndjson'), actor: { id: 'cm', name: 'Camille' } });
  const database = await openDatabase({ dataDir: join(dir, 'db') });
  const loaded = loadConfig(undefined, '/nonexistent');
  const app = createApp({
    env: parseEnv({ PORT: '0' }),
    loaded: { ...loaded, config: { ...loaded.config, delivery: { ...loaded.config.delivery, updateIntervalMs: 50 } } },
    logger: silentLogger(),
    database,
    queue: createMemoryQueue(),
    engine: keywordEngine(),
    platforms: [console],
    http: false,
  });
  await app.start();
  return { app, console: console as ConsolePlatform, printed: () => printed };
}

it('posts a card per story, updates it in place after a decision, and never posts twice across a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-e2e-'));
  dirs.push(dir);
  let run = await startApp(dir);
  await run.app.ingest([
    mention({ id: '1', text: 'Alerte bombe terminal 2E story:t2e' }),
    mention({ id: '2', text: 'bombe ?? story:t2e' }),
    mention({ id: '3', text: 'retard ligne 4 story:l4', account: '@MetroLutece' }),
  ]);
  expect(await run.app.drained(10_000)).toBe(true);
  const veille = run.console.shown('veille');
  expect(veille.map((m) => m.card?.ticketId).sort()).toEqual([1, 2]);
  expect(run.console.shown('crise').map((m) => m.card?.level)).toEqual(['critical']);

  await run.console.handleLine('assign 1 crisis');
  expect(await run.app.drained(10_000)).toBe(true);
  const card = run.console.shown('veille').find((m) => m.card?.ticketId === 1)!;
  expect(card.card?.status).toBe('assigned');
  expect(card.card?.lastDecision?.actorName).toBe('Camille');
  // One quiet line in the card's thread.
  expect(run.console.shown('veille').filter((m) => m.ref.threadId === card.ref.messageId)).toHaveLength(1);
  expect(run.printed()).toContain('(only you)');

  // A click on a card that moved on meanwhile: told who decided, nothing recorded.
  const stale = await run.app.inbound.act({ ticketId: 1, version: 1, actor: { platform: 'console', id: 'k', name: 'Karim' }, action: { kind: 'ignore', reason: 'troll' } });
  expect(stale.status).toBe('conflict');
  expect(stale.message).toContain('Camille');
  expect(await run.app.drained(10_000)).toBe(true);

  await run.app.stop();
  // Restart on the same data: replaying the same mentions is a no-op, nothing is posted again.
  run = await startApp(dir);
  const again = await run.app.ingest([mention({ id: '1', text: 'Alerte bombe terminal 2E story:t2e' }), mention({ id: '3', text: 'retard story:l4' })]);
  expect(again.accepted).toBe(0);
  expect(await run.app.drained(10_000)).toBe(true);
  expect(run.console.shown('veille').map((m) => [m.ref, m.text])).toEqual([]);
  const counts = await run.app.store.counts();
  expect(counts).toMatchObject({ mentions: 3, tickets: 2 });
  expect((await run.app.store.verifyAudit()).problems).toEqual([]);
  await run.app.stop();
}, 60_000);

it('after a crash mid-send, looks for the card before posting it again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-e2e-'));
  dirs.push(dir);
  let run = await startApp(dir);
  await run.app.ingest([mention({ id: '1', text: 'bombe story:x' })]);
  expect(await run.app.drained(10_000)).toBe(true);
  const posted = run.console.shown('veille').length;
  expect(posted).toBe(1);
  // Simulate the crash window: the card landed but the process died before recording it.
  await run.app.store.database.rows(sql`update deliveries set state = 'sending' where kind = 'card' and channel = 'veille'`);
  await run.app.store.database.rows(sql`delete from message_refs where channel = 'veille'`);
  await run.app.stop();
  run = await startApp(dir);
  expect(await run.app.drained(10_000)).toBe(true);
  expect(run.console.shown('veille')).toHaveLength(0); // found through the journal, not re-posted
  const [ref] = await run.app.store.database.rows<{ n: number }>(sql`select count(*)::int as n from message_refs where channel = 'veille'`);
  expect(ref?.n).toBe(1);
  await run.app.stop();
}, 60_000);
