import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/chat/port.js';
import type { VigieConfig } from '../../src/config/schema.js';
import { createDecisions } from '../../src/decisions/act.js';
import { silentLogger } from '../../src/ops/logger.js';
import { createIngest } from '../../src/pipeline/ingest.js';
import { eachDatabase, type TestDb } from '../support/databases.js';
import { exampleConfig, mention } from '../support/fixtures.js';
import { keywordEngine } from '../support/keyword-engine.js';

const camille: Actor = { platform: 'slack', id: 'U1', name: 'Camille', groups: ['S0CELLULE'] };
const karim: Actor = { platform: 'slack', id: 'U2', name: 'Karim', groups: ['S0CELLULE'] };
const intern: Actor = { platform: 'slack', id: 'U3', name: 'Intern', groups: [] };

eachDatabase('decisions', (open) => {
  let db: TestDb;
  let config: VigieConfig;
  let decisions: ReturnType<typeof createDecisions>;
  let now = new Date('2026-11-28T09:00:00Z');

  async function ticketFor(text: string): Promise<number> {
    const { ingest } = createIngest({
      store: db.store,
      engine: keywordEngine(),
      config,
      platforms: ['console'],
      clock: () => now,
      logger: silentLogger(),
      afterCommit: async () => {},
    });
    await ingest([mention({ text })]);
    const [row] = await db.database.rows<{ id: number }>(sql`select id from tickets order by id desc limit 1`);
    return row!.id;
  }

  beforeEach(async () => {
    db = await open();
    config = { ...exampleConfig(), organisation: { name: 'Test', locale: 'en' } };
    now = new Date('2026-11-28T09:00:00Z');
    decisions = createDecisions({
      store: db.store,
      config,
      clock: () => now,
      logger: silentLogger(),
      renderReply: async (_t, templateId, vars) =>
        vars.name ? { ok: true, text: `Hello ${vars.name} (${templateId})`, templateVersion: 3, freshness: 'fresh', edit: null } : { ok: false, message: 'missing variable: name' },
      needsSecondApproval: (t) => t.level === 'critical',
      afterCommit: async () => {},
    });
  });
  afterEach(async () => db.cleanup());

  it('assigns, records who and when, and bumps the version', async () => {
    const id = await ticketFor('retard ligne 4');
    const r = await decisions.act({ ticketId: id, version: 1, actor: camille, action: { kind: 'assign', teamId: 'field' } });
    expect(r.status).toBe('ok');
    const t = await db.store.ticket(id);
    expect(t).toMatchObject({ status: 'assigned', team: 'field', version: 2, assigneeName: 'Camille' });
    expect(t?.firstDecisionAt?.toISOString()).toBe(now.toISOString());
    const history = await db.store.decisionsFor(id);
    expect(history.map((d) => [d.action, d.actorName, d.payload])).toEqual([['assign', 'Camille', { teamId: 'field', fromTeam: 'passengers' }]]);
    // A refresh of the card is queued.
    const keys = (await db.database.rows<{ key: string }>(sql`select key from deliveries where kind = 'update'`)).map((r) => r.key);
    expect(keys).toEqual([`update:${id}`]);
  });

  it('lets one of two simultaneous clicks win and tells the other who decided', async () => {
    const id = await ticketFor('retard');
    const [a, b] = await Promise.all([
      decisions.act({ ticketId: id, version: 1, actor: camille, action: { kind: 'assign', teamId: 'passengers' } }),
      decisions.act({ ticketId: id, version: 1, actor: karim, action: { kind: 'ignore', reason: 'troll' } }),
    ]);
    const results = [a, b].map((r) => r.status).sort();
    expect(results).toEqual(['conflict', 'ok']);
    const loser = [a, b].find((r) => r.status === 'conflict')!;
    expect(loser.message).toMatch(/Camille|Karim/);
    expect((await db.store.decisionsFor(id)).length).toBe(1);
    expect(await db.store.verifyAudit()).toMatchObject({ problems: [] });
  });

  it('refuses an action from the wrong state without recording anything', async () => {
    const id = await ticketFor('retard');
    await decisions.act({ ticketId: id, actor: camille, action: { kind: 'ignore', reason: 'off-topic' } });
    const again = await decisions.act({ ticketId: id, actor: karim, action: { kind: 'assign', teamId: 'field' } });
    expect(again.status).toBe('conflict');
    expect(again.message).toContain('Camille');
    const reopened = await decisions.act({ ticketId: id, actor: karim, action: { kind: 'reopen' } });
    expect(reopened.status).toBe('ok');
    expect((await db.store.ticket(id))?.status).toBe('open');
  });

  it('refuses ignoring a critical card to someone outside the allowed groups', async () => {
    const id = await ticketFor('bombe au terminal');
    const r = await decisions.act({ ticketId: id, actor: intern, action: { kind: 'ignore', reason: 'troll' } });
    expect(r.status).toBe('forbidden');
    expect((await db.store.ticket(id))?.status).toBe('open');
    expect(await db.store.decisionsFor(id)).toHaveLength(0);
  });

  it('needs a second person to approve a reply on a critical ticket', async () => {
    const id = await ticketFor('bombe au terminal');
    const draft = await decisions.act({ ticketId: id, actor: camille, action: { kind: 'reply', templateId: 'tpl', variables: { name: 'Jo' } } });
    expect(draft).toMatchObject({ status: 'ok', message: expect.stringMatching(/second person/) });
    expect((await db.store.ticket(id))?.status).toBe('open');
    const self = await decisions.act({ ticketId: id, actor: camille, action: { kind: 'reply', templateId: 'tpl', variables: { name: 'Jo' } } });
    expect(self.status).toBe('forbidden');
    const approved = await decisions.act({ ticketId: id, actor: karim, action: { kind: 'reply', templateId: 'tpl', variables: { name: 'Jo' } } });
    expect(approved.status).toBe('ok');
    expect(approved.message).toContain('Hello Jo (tpl)');
    expect((await db.store.ticket(id))?.status).toBe('replied');
    const actions = (await db.store.decisionsFor(id)).map((d) => d.action);
    expect(actions).toEqual(['draft-reply', 'approve-reply']);
  });

  it('refuses a reply whose template cannot be rendered, naming the problem', async () => {
    const id = await ticketFor('retard');
    const r = await decisions.act({ ticketId: id, actor: camille, action: { kind: 'reply', templateId: 'tpl', variables: {} } });
    expect(r).toEqual({ status: 'invalid', message: 'missing variable: name' });
  });

  describe('ignored stories that keep growing', () => {
    it('come back as a new card once the story doubles', async () => {
      const { ingest } = createIngest({
        store: db.store,
        engine: keywordEngine(),
        config,
        platforms: ['console'],
        clock: () => now,
        logger: silentLogger(),
        afterCommit: async () => {},
      });
      await ingest(Array.from({ length: 10 }, (_, i) => mention({ id: `g${i}`, text: 'retard story:grow' })));
      const [row] = await db.database.rows<{ id: number }>(sql`select id from tickets`);
      await decisions.act({ ticketId: row!.id, actor: camille, action: { kind: 'ignore', reason: 'handled' } });
      await ingest(Array.from({ length: 5 }, (_, i) => mention({ id: `h${i}`, text: 'retard story:grow' })));
      expect((await db.store.ticket(row!.id))?.status).toBe('ignored');
      await ingest(Array.from({ length: 6 }, (_, i) => mention({ id: `k${i}`, text: 'retard story:grow' })));
      expect((await db.store.ticket(row!.id))?.status).toBe('open');
      const comeback = await db.database.rows<{ key: string }>(sql`select key from deliveries where key like '%comeback%'`);
      expect(comeback).toHaveLength(1);
    });
  });
});
