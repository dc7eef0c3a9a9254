import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase, type TestDb } from '../support/databases.js';

eachDatabase('audit chain', (open) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    for (let i = 1; i <= 4; i++) {
      await db.store.transaction((tx) =>
        tx.appendDecision({
          ticketId: i,
          action: 'assign',
          actorId: 'U1',
          actorName: 'Camille',
          platform: 'slack',
          payload: { teamId: 'passengers', nested: { b: 2, a: [1, { z: true, y: null }] } },
          at: new Date(`2026-11-28T08:0${i}:00.123Z`),
        }),
      );
    }
  });
  afterEach(async () => db.cleanup());

  it('verifies an untouched history', async () => {
    expect(await db.store.verifyAudit()).toEqual({ checked: 4, problems: [] });
  });

  it('detects an edited row', async () => {
    await db.database.rows(sql`update decisions set actor_name = 'Someone else' where id = 2`);
    const r = await db.store.verifyAudit();
    expect(r.problems.map((p) => p.decisionId)).toEqual([2]);
    expect(r.problems[0]?.problem).toMatch(/edited/);
  });

  it('detects an edited payload even when the JSON keeps its keys', async () => {
    await db.database.rows(sql`update decisions set payload = jsonb_set(payload, '{teamId}', '"crisis"') where id = 3`);
    expect((await db.store.verifyAudit()).problems.map((p) => p.decisionId)).toEqual([3]);
  });

  it('detects a deleted row in the middle and a deleted last row', async () => {
    await db.database.rows(sql`delete from decisions where id = 2`);
    let r = await db.store.verifyAudit();
    expect(r.problems.map((p) => p.decisionId)).toEqual([3]);
    expect(r.problems[0]?.problem).toMatch(/deleted/);
    await db.database.rows(sql`delete from decisions where id = 4`);
    r = await db.store.verifyAudit();
    expect(r.problems.some((p) => /tail/.test(p.problem))).toBe(true);
  });
});
