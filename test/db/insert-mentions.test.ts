import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase, type TestDb } from '../support/databases.js';
import { mentionRow } from '../support/mention-rows.js';

eachDatabase('inserting prepared mentions', (open) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.cleanup());
  /** New mention ids, as ingest takes them (with no mentions to look up). */
  const newIds = async (count: number) => (await db.store.batchReads([], count)).ids;

  it('stores every field as given, whatever the text holds', async () => {
    const [id] = await newIds(1);
    const text = 'tab\there, new\nline, back\\slash, \\N, quote " and \' , accents é à, emoji 🚇💣, « guillemets »';
    const r = mentionRow(id!, 'x1', {
      text,
      url: 'https://example.social/x1?a=1&b=2',
      account: '@MetroLutece',
      author: { id: 'a1', handle: 'someone', name: 'Nom\tavec tab', followers: 12, verified: true },
      replyTo: 'r1',
      score: 72,
      level: 'critical',
      category: 'security',
      rules: [{ ruleId: 'bomb', category: 'security', weight: 60 }],
      reasons: [{ code: 'rule', text: 'rule security/bomb +60', points: 60 }],
    });
    const stored = await db.store.transaction((tx) => tx.insertMentions(db.store.prepareMentions([r])));
    expect(stored).toEqual([r]);
    const [back] = await db.database.rows<Record<string, unknown>>(sql`select * from mentions where id = ${id}`);
    expect(back).toMatchObject({
      source: 'twitter',
      external_id: 'x1',
      text,
      url: 'https://example.social/x1?a=1&b=2',
      account: '@MetroLutece',
      author: { id: 'a1', handle: 'someone', name: 'Nom\tavec tab', followers: 12, verified: true },
      reply_to: 'r1',
      repost_of: null,
      score: 72,
      level: 'critical',
      category: 'security',
      rules: [{ ruleId: 'bomb', category: 'security', weight: 60 }],
      reasons: [{ code: 'rule', text: 'rule security/bomb +60', points: 60 }],
      cluster_id: 'twitter:x1',
    });
    expect(new Date(back!.created_at as string).toISOString()).toBe('2026-11-28T08:00:00.123Z');
  });

  it('skips the mentions another writer stored meanwhile and keeps the batch', async () => {
    const ids = await newIds(3);
    expect(new Set(ids).size).toBe(3);
    const rows = ids.map((id, i) => mentionRow(id, `k${i}`));
    // Another worker stores k1 between our duplicate check and our write.
    const [otherId] = await newIds(1);
    await db.store.transaction((tx) => tx.insertMentions(db.store.prepareMentions([mentionRow(otherId!, 'k1', { text: 'theirs' })])));

    const stored = await db.store.transaction(async (tx) => {
      const result = await tx.insertMentions(db.store.prepareMentions(rows));
      // The transaction goes on after the refused copy.
      await tx.upsertAuthors([{ source: 'twitter', authorId: 'a1', handle: 'someone', seenAt: new Date('2026-11-28T08:00:00Z') }]);
      return result;
    });
    expect(stored.map((r) => r.externalId)).toEqual(['k0', 'k2']);
    const all = await db.database.rows<{ external_id: string; text: string }>(sql`select external_id, text from mentions order by external_id`);
    expect(all).toEqual([
      { external_id: 'k0', text: 'bonjour' },
      { external_id: 'k1', text: 'theirs' },
      { external_id: 'k2', text: 'bonjour' },
    ]);
    expect((await db.store.counts()).mentions).toBe(3);
  });

  it('stores text with NUL characters (which Postgres cannot hold) with U+FFFD in their place', async () => {
    const ids = await newIds(2);
    const rows = [
      mentionRow(ids[0]!, 'nul1', { text: 'avant\u0000après', author: { id: 'a1', handle: 'someone', name: 'x\u0000y' } }),
      mentionRow(ids[1]!, 'nul2', { text: '\u0000', reasons: [{ code: 'rule', text: 'r\u0000', points: 1 }] }),
    ];
    expect(await db.store.transaction((tx) => tx.insertMentions(db.store.prepareMentions(rows)))).toHaveLength(2);
    const back = await db.database.rows<{ text: string; author: { name: string }; reasons: Array<{ text: string }> }>(
      sql`select text, author, reasons from mentions order by external_id`,
    );
    expect(back.map((b) => b.text)).toEqual(['avant\uFFFDaprès', '\uFFFD']);
    expect(back[0]!.author.name).toBe('x\uFFFDy');
    expect(back[1]!.reasons[0]!.text).toBe('r\uFFFD');
  });

  it('takes new ids from the sequence, never one already used', async () => {
    const first = await newIds(5);
    const second = await newIds(5);
    expect(Math.min(...second)).toBeGreaterThan(Math.max(...first));
    // As many as asked, distinct and in order (they come back as one list), and none for none.
    const many = await newIds(1_200);
    expect(many).toHaveLength(1_200);
    expect(new Set(many).size).toBe(1_200);
    expect(many.every((id, i) => Number.isSafeInteger(id) && (i === 0 || id > many[i - 1]!))).toBe(true);
    expect(await newIds(0)).toEqual([]);
  });
});
