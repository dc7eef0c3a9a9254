import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsolePlatform } from '../../adapters/chat/console/console-platform.js';
import { openDatabase } from '../../adapters/db/connect.js';
import { createMemoryQueue } from '../../adapters/queue/memory/memory-queue.js';
import { type App, createApp } from '../../src/app/create-app.js';
import { parseEnv } from '../../src/config/env.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/ops/logger.js';
import { TEST_DATABASE_URL } from '../support/databases.js';
import { mention } from '../support/fixtures.js';
import { keywordEngine } from '../support/keyword-engine.js';
import { postgresAvailable } from '../support/services.js';

const pgUp = await postgresAvailable();

/** Two Vigie processes on one database: apps with connections of their own, as two hosts would have. */
describe.skipIf(!pgUp)('one ingesting process among several [postgres]', () => {
  const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const apps: App[] = [];

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop().catch(() => undefined);
    const admin = await openDatabase({ url: TEST_DATABASE_URL, schema, max: 1 });
    await admin.rows(sql.raw(`drop schema if exists "${schema}" cascade`));
    await admin.close();
  });

  async function startProcess(name: string) {
    const database = await openDatabase({ url: TEST_DATABASE_URL, schema, max: 4 });
    const engine = keywordEngine();
    const app = createApp({
      env: parseEnv({ PORT: '0' }),
      loaded: loadConfig(undefined, '/nonexistent'),
      logger: silentLogger(),
      database,
      queue: createMemoryQueue(),
      engine,
      platforms: [createConsolePlatform({ output: new PassThrough(), channel: 'veille', actor: { id: name, name } })],
      http: false,
      // A standby tries the lease often here, so the takeover below needs no long wait.
      ingestLeaseCheckMs: 50,
    });
    await app.start();
    apps.push(app);
    return { app, database, engine };
  }

  const until = async (what: () => Promise<boolean>, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await what())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('lets one process score, has the others hand their mentions to it, and hands over when it stops', async () => {
    const first = await startProcess('first');
    const second = await startProcess('second');
    expect(first.app.ingestRole).toBe('lead');
    expect(second.app.ingestRole).toBe('standby');
    expect((await second.app.health()).ingest).toBe('standby');

    // The same story reaches both processes: it must stay one story with one ticket.
    await first.app.ingest([mention({ id: '1', text: 'Alerte bombe terminal 2E story:t2e' })]);
    const handed = await second.app.ingest([mention({ id: '2', text: 'bombe au 2E ?? story:t2e' }), mention({ id: '1', text: 'Alerte bombe terminal 2E story:t2e' })]);
    expect(handed).toMatchObject({ accepted: 1, duplicates: 1 });
    await until(async () => (await first.database.rows<{ n: number }>(sql`select count(*)::int as n from inbox`))[0]?.n === 0);

    const [cluster] = await first.database.rows<{ count: number }>(sql`select count from clusters where id = 'c-t2e'`);
    expect(cluster?.count).toBe(2);
    expect((await first.app.store.counts()).tickets).toBe(1);
    // Only the lead's engine saw the story.
    expect(first.engine.snapshot('c-t2e')?.count).toBe(2);
    expect(second.engine.snapshot('c-t2e')).toBeNull();

    // The lead goes away: the standby takes over and scores mentions itself.
    await first.app.stop();
    apps.splice(apps.indexOf(first.app), 1);
    await until(async () => second.app.ingestRole === 'lead');
    await second.app.ingest([mention({ id: '3', text: 'encore une bombe story:t2e' })]);
    const [after] = await second.database.rows<{ count: number }>(sql`select count from clusters where id = 'c-t2e'`);
    expect(after?.count).toBe(3);
    expect((await second.app.store.counts()).mentions).toBe(3);
    expect((await second.app.store.counts()).tickets).toBe(1);
  });

  it('stores every mention a standby took, once, even when the lead arrives later', async () => {
    const first = await startProcess('first');
    const lease = first.database.ingestLease();
    // Someone else holds the lease (a lead on another host): this process is a standby.
    await first.app.stop();
    apps.splice(0);
    expect(await lease.tryAcquire()).toBe(true);
    const standby = await startProcess('standby');
    expect(standby.app.ingestRole).toBe('standby');
    const batch = Array.from({ length: 30 }, (_, i) => mention({ id: `m${i}`, text: i % 2 ? 'retard story:l4' : 'bonjour' }));
    await standby.app.ingest(batch);
    await standby.app.ingest(batch.slice(0, 10));
    expect((await standby.app.store.counts()).mentions).toBe(0);

    await lease.release();
    await until(async () => (await standby.app.store.counts()).mentions === 30);
    await until(async () => (await standby.database.rows<{ n: number }>(sql`select count(*)::int as n from inbox`))[0]?.n === 0);
    expect(standby.app.ingestRole).toBe('lead');
    const [l4] = await standby.database.rows<{ count: number }>(sql`select count from clusters where id = 'c-l4'`);
    expect(l4?.count).toBe(15);
  });
});
