import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type ConsolePlatform, createConsolePlatform } from '../../adapters/chat/console/console-platform.js';
import { openDatabase } from '../../adapters/db/connect.js';
import { createMemoryQueue } from '../../adapters/queue/memory/memory-queue.js';
import type { Timers } from '../../src/core/timers.js';
import { type App, createApp } from '../../src/app/create-app.js';
import { createWorkflow } from '../../src/app/workflow.js';
import { parseEnv } from '../../src/config/env.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/ops/logger.js';
import { mention } from '../support/fixtures.js';
import { keywordEngine } from '../support/keyword-engine.js';

/** Time that only moves when the test says so: escalations are tested without waiting. */
function manualTime(start: Date) {
  let now = start.getTime();
  let seq = 0;
  const due = new Map<number, { at: number; cb: () => void }>();
  const timers: Timers = {
    setTimeout(cb, ms) {
      seq++;
      due.set(seq, { at: now + ms, cb });
      return seq;
    },
    clearTimeout(handle) {
      due.delete(handle as number);
    },
  };
  return {
    clock: () => new Date(now),
    timers,
    /** Fires what is due, repeatedly, letting the async work in between settle. */
    async pump(rounds = 30) {
      for (let i = 0; i < rounds; i++) {
        const ready = [...due.entries()].filter(([, t]) => t.at <= now);
        for (const [id, t] of ready) {
          due.delete(id);
          t.cb();
        }
        await new Promise((r) => setTimeout(r, 15));
      }
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

let app: App;
let console: ConsolePlatform;
let time: ReturnType<typeof manualTime>;

beforeEach(async () => {
  time = manualTime(new Date('2026-11-28T09:00:00Z'));
  const loaded = loadConfig(undefined, '/nonexistent');
  const config = {
    ...loaded.config,
    organisation: { ...loaded.config.organisation, locale: 'en' as const },
    delivery: { ...loaded.config.delivery, updateIntervalMs: 10 },
    // The console user is the crisis cell here.
    permissions: {},
  };
  console = createConsolePlatform({ output: new PassThrough(), channel: 'veille', actor: { id: 'cm', name: 'Camille' } });
  app = createApp({
    env: parseEnv({}),
    loaded: { ...loaded, config },
    logger: silentLogger(),
    database: await openDatabase({ dataDir: 'memory://' }),
    queue: createMemoryQueue({ clock: time.clock, timers: time.timers }),
    engine: keywordEngine(),
    platforms: [console],
    clock: time.clock,
    http: false,
    workflow: createWorkflow,
  });
  await app.start();
});
afterEach(async () => {
  await app.stop();
});

const decisionsOf = async (ticketId: number) => (await app.store.decisionsFor(ticketId)).map((d) => d.action);

it('escalates an undecided critical ticket to the team lead, then to the crisis cell, once each', async () => {
  await app.ingest([mention({ id: '1', text: 'bombe au terminal story:a', createdAt: '2026-11-28T09:00:00Z' })]);
  await time.pump();
  time.advance(10 * 60_000 + 1);
  await time.pump();
  expect(await decisionsOf(1)).toEqual(['escalate']);
  const lead = console.shown('voyageurs').find((m) => m.text.includes('#1'));
  expect(lead?.text).toContain('@S0LEADSVOY'); // the configured lead group is pinged on purpose
  time.advance(20 * 60_000);
  await time.pump();
  expect(await decisionsOf(1)).toEqual(['escalate', 'escalate']);
  expect(console.shown('crise').some((m) => m.text.includes('crisis cell'))).toBe(true);
  time.advance(60 * 60_000);
  await time.pump();
  expect(await decisionsOf(1)).toEqual(['escalate', 'escalate']);
});

it('cancels pending escalations as soon as someone decides', async () => {
  await app.ingest([mention({ id: '1', text: 'bombe au terminal story:a', createdAt: '2026-11-28T09:00:00Z' })]);
  await time.pump();
  await console.handleLine('assign 1 crisis');
  await time.pump();
  time.advance(45 * 60_000);
  await time.pump();
  expect(await decisionsOf(1)).toEqual(['assign']);
});

it('runs a crisis from open to close: checklist, attached story, relay, report', async () => {
  await app.ingest([mention({ id: '1', text: 'retard énorme au terminal 2E story:t2e', createdAt: '2026-11-28T09:00:00Z' })]);
  await time.pump();
  expect((await app.store.ticket(1))?.level).toBe('watch');

  const opened = await app.inbound.command({ actor: { platform: 'console', id: 'cm', name: 'Camille' }, command: 'crisis', text: 'open "Terminal 2E évacué" site:roissy severity:1', channel: 'crise' });
  expect(opened.visibility).toBe('channel');
  expect(opened.notice.title).toMatch(/Crisis #1 opened/);
  await time.pump();
  const ticket = await app.store.ticket(1);
  expect(ticket).toMatchObject({ crisisId: 1, level: 'high' });
  const checklist = console.shown('crise').find((m) => m.text.includes('0/5'));
  expect(checklist).toBeDefined();

  await console.handleLine('press crisis:1:step:hold-promotions');
  await time.pump();
  expect(console.shown('crise').some((m) => m.text.includes('1/5') && m.text.includes('Camille'))).toBe(true);

  await app.inbound.command({ actor: { platform: 'console', id: 'cm', name: 'Camille' }, command: 'crisis', text: 'relay Communiqué de la préfecture : bagage abandonné https://x.com/prefpolice/status/1', channel: 'crise' });
  const status = await app.inbound.command({ actor: { platform: 'console', id: 'cm', name: 'Camille' }, command: 'crisis', text: 'status', channel: 'crise' });
  expect(status.visibility).toBe('private');
  expect(JSON.stringify(status.notice)).toContain('relay');

  // A reply on a crisis story needs a second person.
  const draft = await app.inbound.act({ ticketId: 1, actor: { platform: 'console', id: 'cm', name: 'Camille' }, action: { kind: 'reply', templateId: 'generic-looking-into-it-en', variables: {} } });
  expect(draft.message).toMatch(/second person/);

  const closed = await app.inbound.command({ actor: { platform: 'console', id: 'cm', name: 'Camille' }, command: 'crisis', text: 'close All clear at 10:40', channel: 'crise' });
  expect(closed.notice.title).toMatch(/closed/);
  await time.pump();
  const [crisis] = await app.store.database.rows<{ status: string; summary: string }>(sql`select status, summary from crises where id = 1`);
  expect(crisis).toEqual({ status: 'closed', summary: 'All clear at 10:40' });
  const timeline = (await app.store.database.rows<{ action: string }>(sql`select action from decisions where crisis_id = 1 order by id`)).map((r) => r.action);
  expect(timeline).toEqual(['crisis-open', 'crisis-attach', 'crisis-tick', 'crisis-relay', 'crisis-close']);
  expect((await app.store.verifyAudit()).problems).toEqual([]);
});

it('answers a bad /crisis command with its usage, never a stack trace', async () => {
  const r = await app.inbound.command({ actor: { platform: 'console', id: 'cm', name: 'Camille' }, command: 'crisis', text: 'update', channel: 'crise' });
  expect(r.visibility).toBe('private');
  expect(JSON.stringify(r.notice)).toMatch(/crisis update/);
});

it('computes the daily digest of a fixture day from the database, with hand-counted figures', async () => {
  const camille = { platform: 'console' as const, id: 'cm', name: 'Camille' };
  await app.ingest([
    mention({ id: 'd1', source: 'twitter', account: '@LuteceAeroport', text: 'bombe au terminal story:a', createdAt: '2026-11-28T08:10:00Z' }),
    mention({ id: 'd2', source: 'twitter', account: '@LuteceAeroport', text: 'une bombe ?? story:a', createdAt: '2026-11-28T08:20:00Z' }),
    mention({ id: 'd3', source: 'bluesky', account: '@VilleDeLutece', text: 'merci pour la photo', createdAt: '2026-11-28T08:30:00Z' }),
    mention({ id: 'd4', source: 'twitter', account: '@MetroLutece', text: 'malaise voyageur ligne 4 story:b', createdAt: '2026-11-28T08:40:00Z' }),
  ]);
  await time.pump();
  time.advance(5 * 60_000); // 09:05: the critical card is decided within its 15-minute target
  expect((await app.inbound.act({ ticketId: 1, actor: camille, action: { kind: 'assign', teamId: 'crisis' } })).status).toBe('ok');
  time.advance(85 * 60_000); // 10:30: the high card is decided after its 60-minute target
  expect((await app.inbound.act({ ticketId: 2, actor: camille, action: { kind: 'ignore', reason: 'off-topic' } })).status).toBe('ok');
  await time.pump();
  time.advance(21 * 3_600_000 + 30 * 60_000); // next day 08:00
  const model = (await app.workflow.digest!.model(time.clock())) as {
    volume: { total: number; bySource: Array<{ source: string; count: number }> };
    cards: { total: number; byLevel: Record<string, number> };
    decisions: { total: number; ignoreReasons: Array<{ reason: string; count: number }> };
    onTime: { critical: { judged: number; within: number }; high: { judged: number; within: number; late: number } };
  };
  expect(model.volume.total).toBe(4);
  expect(model.volume.bySource).toEqual([
    { source: 'twitter', count: 3 },
    { source: 'bluesky', count: 1 },
  ]);
  expect(model.cards.total).toBe(2);
  expect(model.cards.byLevel).toMatchObject({ critical: 1, high: 1 });
  expect(model.decisions.total).toBe(2);
  expect(model.decisions.ignoreReasons).toEqual([{ reason: 'off-topic', count: 1 }]);
  expect(model.onTime.critical).toMatchObject({ judged: 1, within: 1 });
  expect(model.onTime.high).toMatchObject({ judged: 1, within: 0, late: 1 });
});

it('warns about a scheduled promotional post during a crisis on its site, and records the choice', async () => {
  const camille = { platform: 'console' as const, id: 'cm', name: 'Camille' };
  await app.inbound.command({ actor: camille, command: 'crisis', text: 'open "Ligne 4 interrompue" site:metro severity:2', channel: 'crise' });
  await time.pump();
  const warning = console.shown('crise').find((m) => m.text.includes('press hold:renovation-station-chatelet:postpone'));
  expect(warning).toBeDefined();
  await console.handleLine('press hold:renovation-station-chatelet:postpone');
  const [row] = await app.store.database.rows<{ action: string; payload: { choice: string } }>(sql`select action, payload from decisions where action = 'crisis-hold'`);
  expect(row).toMatchObject({ action: 'crisis-hold', payload: { choice: 'postpone' } });
  // Checked again later: the same conflict is not announced twice.
  await app.inbound.command({ actor: camille, command: 'crisis', text: 'open "Métro : station fermée" site:metro', channel: 'crise' });
  await time.pump();
  const warnings = console.shown('crise').filter((m) => m.text.includes('press hold:renovation-station-chatelet:postpone'));
  expect(warnings.length).toBe(2); // one per crisis it conflicts with, each once
});
