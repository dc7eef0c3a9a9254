import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { silentLogger } from '../../src/ops/logger.js';
import { type AfterCommit, createIngest } from '../../src/pipeline/ingest.js';
import { eachDatabase, type TestDb } from '../support/databases.js';
import { exampleConfig, mention } from '../support/fixtures.js';
import { keywordEngine } from '../support/keyword-engine.js';

eachDatabase('ingest pipeline', (open) => {
  let db: TestDb;
  let handed: AfterCommit[];
  let ingest: ReturnType<typeof createIngest>['ingest'];
  let engine: ReturnType<typeof keywordEngine>;

  beforeEach(async () => {
    db = await open();
    handed = [];
    engine = keywordEngine();
    ingest = createIngest({
      store: db.store,
      engine,
      config: exampleConfig(),
      platforms: ['console', 'slack'],
      clock: () => new Date('2026-11-28T09:00:00Z'),
      logger: silentLogger(),
      afterCommit: async (w) => {
        handed.push(w);
      },
    }).ingest;
  });
  afterEach(async () => db.cleanup());

  it('stores every mention once, groups a story into one ticket and one card per channel', async () => {
    const batch = [
      mention({ id: '1', text: 'Alerte à la bombe au terminal story:t2e' }),
      mention({ id: '2', text: 'encore une bombe ?? story:t2e' }),
      mention({ id: '3', text: 'Belle photo de la tour' }),
    ];
    const first = await ingest(batch);
    expect(first).toEqual({ accepted: 3, duplicates: 0, newTickets: 1 });
    const again = await ingest(batch);
    expect(again).toEqual({ accepted: 0, duplicates: 3, newTickets: 0 });

    const counts = await db.store.counts();
    expect(counts.mentions).toBe(3);
    expect(counts.tickets).toBe(1);
    const [cluster] = await db.database.rows<{ count: number; level: string }>(sql`select count, level from clusters where id = 'c-t2e'`);
    expect(cluster).toEqual({ count: 2, level: 'critical' });
    const cards = await db.database.rows<{ key: string; platform: string; channel: string; priority: number }>(
      sql`select key, platform, channel, priority from deliveries where kind = 'card' order by key`,
    );
    // Critical: the account's watch channel and the crisis channel, on both platforms.
    expect(cards.map((c) => `${c.platform}:${c.channel}`).sort()).toEqual(['console:crise', 'console:veille', 'slack:C0CRISE', 'slack:C0VEILLE']);
    expect(new Set(cards.map((c) => c.priority))).toEqual(new Set([30]));
    expect(handed[0]?.deliveries.length).toBe(4);
    expect(handed[0]?.escalate.map((t) => t.level)).toEqual(['critical']);
  });

  it('de-duplicates within a batch and against earlier batches', async () => {
    const a = mention({ id: 'same', text: 'retard ligne 4' });
    const r = await ingest([a, a, mention({ id: 'other', text: 'retard' })]);
    expect(r.accepted).toBe(2);
    expect(r.duplicates).toBe(1);
    expect((await db.store.counts()).mentions).toBe(2);
  });

  it('adds later mentions to the existing story and refreshes its card instead of posting again', async () => {
    await ingest([mention({ id: '1', text: 'malaise voyageur story:l4', account: '@MetroLutece' })]);
    await ingest([mention({ id: '2', text: 'toujours bloqués story:l4', account: '@MetroLutece' })]);
    const [t] = await db.database.rows<{ n: number }>(sql`select count(*)::int as n from tickets`);
    expect(t?.n).toBe(1);
    const deliveries = await db.database.rows<{ kind: string; key: string }>(sql`select kind, key from deliveries order by id`);
    expect(deliveries.filter((d) => d.kind === 'card')).toHaveLength(2);
    expect(deliveries.filter((d) => d.kind === 'update').map((d) => d.key)).toEqual([expect.stringMatching(/^update:\d+$/)]);
  });

  it('raises a story that becomes critical into the crisis channel', async () => {
    await ingest([mention({ id: '1', text: 'retard story:x' })]);
    let keys = (await db.database.rows<{ key: string }>(sql`select key from deliveries where kind = 'card'`)).map((r) => r.key);
    expect(keys.some((k) => k.includes('crise') || k.includes('C0CRISE'))).toBe(false);
    await ingest([mention({ id: '2', text: 'une bombe story:x' })]);
    keys = (await db.database.rows<{ key: string }>(sql`select key from deliveries where kind = 'card'`)).map((r) => r.key);
    expect(keys.filter((k) => k.endsWith(':crise') || k.endsWith(':C0CRISE'))).toHaveLength(2);
    const [ticket] = await db.database.rows<{ level: string }>(sql`select level from tickets`);
    expect(ticket?.level).toBe('critical');
  });

  it('counts a mention sent in two overlapping webhook requests once, in the store and in the story', async () => {
    const resent = mention({ id: 'resent', text: 'une bombe story:dup' });
    // A big first batch: its transaction is still running when the second one is checked.
    const chatter = Array.from({ length: 2_000 }, (_, i) => mention({ id: `q${i}`, text: 'bonne journée' }));
    const [first, second] = await Promise.all([
      ingest([resent, mention({ id: 'a', text: 'bombe story:dup' }), ...chatter]),
      ingest([mention({ id: 'b', text: 'bombe story:dup' }), resent]),
    ]);
    expect(first).toMatchObject({ accepted: 2_002, duplicates: 0 });
    expect(second).toMatchObject({ accepted: 1, duplicates: 1 });
    const [cluster] = await db.database.rows<{ count: number }>(sql`select count from clusters where id = 'c-dup'`);
    expect(cluster?.count).toBe(3);
    // The engine's live story saw it once too (its velocity and level depend on that count).
    expect(engine.snapshot('c-dup')?.count).toBe(3);
    expect((await db.store.counts()).mentions).toBe(2_003);
  });

  it('fails a batch that counted a resent mention as stored when the batch storing it rolled back', async () => {
    // A real refusal from the database: a trigger rejects the first batch's transaction.
    await db.database.rows(sql.raw(`
      create function refuse_boom() returns trigger language plpgsql as $$
      begin if new.external_id = 'boom' then raise exception 'refused'; end if; return new; end $$`));
    await db.database.rows(sql.raw(`create trigger refuse_boom before insert on mentions for each row execute function refuse_boom()`));
    const resent = mention({ id: 'resent', text: 'une bombe story:rb' });
    const chatter = Array.from({ length: 2_000 }, (_, i) => mention({ id: `q${i}`, text: 'bonne journée' }));
    const [first, second] = await Promise.allSettled([
      ingest([resent, mention({ id: 'boom', text: 'bonjour' }), ...chatter]),
      // Scored while the first is being written: `resent` is left out as that batch's.
      ingest([mention({ id: 'b', text: 'bombe story:rb' }), resent]),
    ]);
    expect(first.status).toBe('rejected');
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'database_unavailable' } });
    expect((await db.store.counts()).mentions).toBe(0);
    // The sender tries again: now the resent mention is new, and stored once.
    expect(await ingest([mention({ id: 'b2', text: 'bombe story:rb' }), resent])).toMatchObject({ accepted: 2, duplicates: 0 });
    expect((await db.store.counts()).mentions).toBe(2);
  });

  it('keeps quiet mentions out of tickets but counts them in the hourly volume', async () => {
    await ingest([mention({ id: '1', text: 'bonne journée' }), mention({ id: '2', text: 'merci', source: 'bluesky' })]);
    expect((await db.store.counts()).tickets).toBe(0);
    const volume = await db.database.rows<{ source: string; count: number }>(sql`select source, count from hourly_volume order by source`);
    expect(volume).toEqual([
      { source: 'bluesky', count: 1 },
      { source: 'twitter', count: 1 },
    ]);
  });

  it('gives a quiet one-mention story no row until a second mention joins it, then counts both', async () => {
    const first = mention({ id: 'q1', text: 'belle vue depuis la tour story:vue', createdAt: '2026-11-28T07:00:00Z' });
    await ingest([first, mention({ id: 'q2', text: 'une autre photo' })]);
    const clusterRows = () => db.database.rows<{ id: string; count: number; first_seen: Date; head: string | null }>(sql`
      select c.id, c.count, c.first_seen, m.external_id as head from clusters c left join mentions m on m.id = c.head_mention_id order by c.id`);
    expect(await clusterRows()).toEqual([]);
    // The mentions themselves are stored, with their cluster id.
    expect((await db.database.rows<{ cluster_id: string }>(sql`select cluster_id from mentions where external_id = 'q1'`))[0]?.cluster_id).toBe('c-vue');

    await ingest([mention({ id: 'q3', text: 'RT belle vue story:vue', repostOf: 'q1', createdAt: '2026-11-28T08:30:00Z' })]);
    const rows = await clusterRows();
    expect(rows.map((r) => ({ id: r.id, count: r.count, head: r.head }))).toEqual([{ id: 'c-vue', count: 2, head: 'q1' }]);
    expect(new Date(rows[0]!.first_seen).toISOString()).toBe('2026-11-28T07:00:00.000Z');

    await ingest([mention({ id: 'q4', text: 'RT belle vue story:vue', repostOf: 'q1' })]);
    expect((await clusterRows()).map((r) => r.count)).toEqual([3]);
  });

  it('writes a risky story at once, even with a single mention', async () => {
    await ingest([mention({ id: 'r1', text: 'retard énorme ligne 4' })]);
    const rows = await db.database.rows<{ count: number; level: string }>(sql`select count, level from clusters`);
    expect(rows).toEqual([{ count: 1, level: 'watch' }]);
  });

  it('records an author once, follows a new handle, and reads counts and snapshot from mentions', async () => {
    const author = { id: 'auth-1', handle: 'camille', name: 'Camille', followers: 10 };
    await ingest([mention({ id: 'a1', author }), mention({ id: 'a2', author: { ...author, followers: 20 } })]);
    await ingest([mention({ id: 'a3', author: { ...author, handle: 'camille_l', followers: 30 }, createdAt: '2026-11-28T08:05:00Z' })]);
    const stored = await db.database.rows<{ handle: string }>(sql`select handle from authors where author_id = 'auth-1'`);
    expect(stored).toEqual([{ handle: 'camille_l' }]);
    const profile = await db.store.author('twitter', 'auth-1');
    expect(profile?.mentions).toBe(3);
    expect(profile?.snapshot).toMatchObject({ handle: 'camille_l', followers: 30 });
    expect(profile?.lastSeen.toISOString()).toBe('2026-11-28T08:05:00.000Z');
    expect((await db.store.authorsByHandle('@camille_l')).map((a) => a.authorId)).toEqual(['auth-1']);
  });
});
