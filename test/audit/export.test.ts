import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { exportRecords } from '../../src/audit/export.js';
import { createDecisions } from '../../src/decisions/act.js';
import { silentLogger } from '../../src/ops/logger.js';
import { createIngest } from '../../src/pipeline/ingest.js';
import { eachDatabase, type TestDb } from '../support/databases.js';
import { exampleConfig, mention } from '../support/fixtures.js';
import { keywordEngine } from '../support/keyword-engine.js';

eachDatabase('public-records export', (open) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    const config = exampleConfig();
    const clock = () => new Date('2026-11-28T09:00:00Z');
    await createIngest({ store: db.store, engine: keywordEngine(), config, platforms: ['console'], clock, logger: silentLogger(), afterCommit: async () => {} }).ingest([
      mention({ id: '1', text: 'retard =HYPERLINK("http://evil") story:a' }),
    ]);
    const decisions = createDecisions({ store: db.store, config, clock, logger: silentLogger(), renderReply: async () => ({ ok: false, message: 'n/a' }), needsSecondApproval: () => false, afterCommit: async () => {} });
    await decisions.act({ ticketId: 1, actor: { platform: 'slack', id: 'U1', name: '=cmd|calc' }, action: { kind: 'assign', teamId: 'field' } });
  });
  afterEach(async () => db.cleanup());

  const run = async (format: 'csv' | 'jsonl') => {
    let out = '';
    const summary = await exportRecords(db.store, { from: new Date('2026-11-28T00:00:00Z'), to: new Date('2026-11-29T00:00:00Z'), format }, (c) => (out += c));
    return { out, summary };
  };

  it('exports tickets and decisions as JSONL with the audit result first', async () => {
    const { out, summary } = await run('jsonl');
    expect(summary).toEqual({ tickets: 1, decisions: 1, auditOk: true });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; auditOk?: boolean; action?: string });
    expect(lines.map((l) => l.type)).toEqual(['export', 'ticket', 'decision']);
    expect(lines[0]?.auditOk).toBe(true);
    expect(lines[2]?.action).toBe('assign');
  });

  it('writes CSV that a spreadsheet will not execute, and says when the chain was altered', async () => {
    await db.database.rows(sql`update decisions set payload = '{"teamId":"crisis"}'`);
    const { out, summary } = await run('csv');
    expect(summary.auditOk).toBe(false);
    // A name that starts like a formula is exported as text.
    expect(out).toContain(`"'=cmd|calc"`);
    expect(out).toMatch(/"audit".*"BROKEN"/);
    expect(out).not.toMatch(/(^|,)"=/m);
  });
});
