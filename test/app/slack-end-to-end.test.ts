import { sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { ActionId } from '../../adapters/chat/slack/action-ids.js';
import { parseSlackEnv } from '../../adapters/chat/slack/slack-env.js';
import { createSlackPlatform } from '../../adapters/chat/slack/slack-platform.js';
import { createMemoryQueue } from '../../adapters/queue/memory/memory-queue.js';
import { type App, createApp } from '../../src/app/create-app.js';
import { parseEnv } from '../../src/config/env.js';
import { loadConfig } from '../../src/config/load.js';
import type { VigieConfig } from '../../src/config/schema.js';
import { silentLogger } from '../../src/ops/logger.js';
import { pgliteDb } from '../support/databases.js';
import { mention } from '../support/fixtures.js';
import { keywordEngine } from '../support/keyword-engine.js';
import { type SlackDouble, type SlackDoubleOptions, type StoredMessage, messageAction, slackWouldPing, startSlackDouble } from '../doubles/slack/index.js';

/**
 * The whole bot against the Slack double: createApp with the real Slack adapter in Socket Mode, the
 * in-process queue and PGlite. Mentions go in through `ingest`; everything a user would see is read
 * back from the double (messages as they stand, every Web API call) and from the database.
 */

const WATCH = 'C0VEILLE';
const CRISIS = 'C0CRISE';
const CAMILLE = { id: 'U0CAMILLE', username: 'camille.martin' };
const KARIM = { id: 'U0KARIM', username: 'karim.benali' };

interface Run {
  app: App;
  double: SlackDouble;
  stop(): Promise<void>;
}

const runs: Run[] = [];
afterEach(async () => {
  for (const run of runs.splice(0)) await run.stop();
});

async function startSlackApp(options: { delivery?: Partial<VigieConfig['delivery']>; double?: SlackDoubleOptions } = {}): Promise<Run> {
  const double = await startSlackDouble(options.double);
  const { database } = await pgliteDb();
  const loaded = loadConfig(undefined, '/nonexistent');
  const config: VigieConfig = { ...loaded.config, delivery: { ...loaded.config.delivery, updateIntervalMs: 50, ...options.delivery } };
  const slack = createSlackPlatform({
    env: parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-e2e', SLACK_APP_TOKEN: 'xapp-e2e', SLACK_API_URL: double.apiUrl }),
    logger: silentLogger(),
  });
  const app = createApp({
    env: parseEnv({ PORT: '0' }),
    loaded: { ...loaded, config },
    logger: silentLogger(),
    database,
    queue: createMemoryQueue(),
    engine: keywordEngine(),
    platforms: [slack],
    http: false,
  });
  await app.start();
  await double.socket.connected();
  const run: Run = {
    app,
    double,
    async stop() {
      await app.stop();
      await double.close();
    },
  };
  runs.push(run);
  return run;
}

async function until<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const keyOf = (m: StoredMessage) => (typeof m.metadata?.event_payload.key === 'string' ? m.metadata.event_payload.key : undefined);
const topLevel = (double: SlackDouble, channel: string) => double.messages(channel).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
const threadOf = (double: SlackDouble, channel: string, ts: string) => double.messages(channel).filter((m) => m.thread_ts === ts && m.ts !== ts);

/** How many messages landed in `channel` per metadata key (a card posted twice shows as 2). */
function landedPerKey(double: SlackDouble, channel: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of topLevel(double, channel)) {
    const key = keyOf(m) ?? '(none)';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function cardOf(double: SlackDouble, channel: string, ticketId: number): StoredMessage | undefined {
  return topLevel(double, channel).find((m) => keyOf(m) === `card:${ticketId}:slack:${channel}`);
}

/** Everything the bot sent that a person could read: Web API bodies and response_url answers. */
function everyPayload(double: SlackDouble): string[] {
  return [...double.calls.filter((c) => c.method.startsWith('chat.') || c.method.startsWith('views.')).map((c) => JSON.stringify(c.body)), ...double.responses.map((r) => r.raw)];
}

/** Text a reader sees in a message: fallback text and every block's text. */
function visible(m: StoredMessage | undefined): string {
  return m ? `${m.text}\n${m.raw}` : '';
}

async function ticketIdOf(app: App, story: string): Promise<number> {
  const [row] = await app.store.database.rows<{ id: number }>(sql`select id from tickets where cluster_id = ${`c-${story}`}`);
  if (!row) throw new Error(`no ticket for story ${story}`);
  return Number(row.id);
}

it('posts one card per story per channel, tagged with its key; a critical story also goes to the crisis channel', async () => {
  const { app, double } = await startSlackApp();
  await app.ingest([
    mention({ id: 'b1', text: 'Alerte bombe terminal 2E story:t2e' }),
    mention({ id: 'b2', text: 'bombe ?? story:t2e' }),
    mention({ id: 'r1', text: 'retard ligne 4 story:l4', account: '@MetroLutece' }),
    mention({ id: 'n1', text: 'Bonjour tout le monde' }),
  ]);
  expect(await app.drained(30_000)).toBe(true);
  const t2e = await ticketIdOf(app, 't2e');
  const l4 = await ticketIdOf(app, 'l4');

  expect(landedPerKey(double, WATCH)).toEqual(new Map([[`card:${t2e}:slack:${WATCH}`, 1], [`card:${l4}:slack:${WATCH}`, 1]]));
  expect(landedPerKey(double, CRISIS)).toEqual(new Map([[`card:${t2e}:slack:${CRISIS}`, 1]]));
  const posts = double.callsTo('chat.postMessage').filter((c) => c.status === 200);
  expect(posts).toHaveLength(3);
  for (const post of posts) {
    expect(post.body).toMatchObject({ metadata: { event_type: 'vigie_card' }, link_names: 'false', unfurl_links: 'false' });
  }
  // The card itself: the mention, the ticket, its buttons carrying ticket and version.
  const card = cardOf(double, WATCH, t2e);
  expect(card?.text).toContain('Alerte bombe terminal 2E');
  expect(visible(card)).toContain(`#${t2e}`);
  expect(JSON.stringify(card?.blocks)).toContain(ActionId.assign);
  expect(JSON.stringify(card?.blocks)).toContain(ActionId.ignore);
  expect(double.callsTo('auth.test')).toHaveLength(1);
  expect(await app.store.counts()).toMatchObject({ mentions: 4, tickets: 2 });
}, 60_000);

it('records a click as a decision, updates the card in place, notes it in the thread, and tells a stale clicker who decided', async () => {
  const { app, double } = await startSlackApp();
  await app.ingest([mention({ id: 'b1', text: 'Alerte bombe terminal 2E story:t2e' })]);
  expect(await app.drained(30_000)).toBe(true);
  const ticketId = await ticketIdOf(app, 't2e');
  const card = cardOf(double, WATCH, ticketId);
  if (!card) throw new Error('card not posted');
  // What Karim will click later: the card as it was before Camille decided.
  const staleSnapshot = structuredClone(card);

  await double.socket.sendBlockAction(messageAction(double, card, ActionId.assign, { user: CAMILLE, pick: (o) => o.value.includes('"passengers"') }));
  const [assign] = await until(async () => {
    const rows = (await app.store.decisionsFor(ticketId)).filter((d) => d.action === 'assign');
    return rows.length > 0 && rows;
  }, 'the assign decision');
  expect(assign).toMatchObject({ actorId: CAMILLE.id, actorName: CAMILLE.username, platform: 'slack', payload: { teamId: 'passengers' } });
  expect(await app.drained(30_000)).toBe(true);
  expect((await app.store.ticket(ticketId))?.status).toBe('assigned');

  // The card is edited in place, not re-posted: status and who.
  const updates = double.callsTo('chat.update').filter((c) => c.body.channel === WATCH && c.body.ts === card.ts);
  expect(updates.length).toBeGreaterThan(0);
  const shown = visible(double.message(WATCH, card.ts));
  expect(shown).toMatch(/assigné/i);
  expect(shown).toContain(CAMILLE.username);
  expect(landedPerKey(double, WATCH).get(`card:${ticketId}:slack:${WATCH}`)).toBe(1);
  // One quiet line in the card's thread, in each channel that shows the card.
  const notes = threadOf(double, WATCH, card.ts);
  expect(notes).toHaveLength(1);
  expect(notes[0]?.text).toContain(CAMILLE.username);
  const crisisCard = cardOf(double, CRISIS, ticketId);
  expect(crisisCard && threadOf(double, CRISIS, crisisCard.ts)).toHaveLength(1);

  // Karim clicks the card as he saw it (the old version): told privately who decided and when.
  await double.socket.sendBlockAction(messageAction(double, staleSnapshot, ActionId.assign, { user: KARIM, pick: (o) => o.value.includes('"field"') }));
  const answer = await until(() => double.responses[0], 'the conflict answer');
  expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(String(answer.body.text)).toMatch(new RegExp(`Déjà traité.*par ${CAMILLE.username.replace('.', '\\.')} à \\d{2}:\\d{2}`));
  expect(await app.drained(30_000)).toBe(true);
  expect((await app.store.decisionsFor(ticketId)).filter((d) => d.action === 'assign')).toHaveLength(1);
  expect((await app.store.ticket(ticketId))?.team).toBe('passengers');
  expect(threadOf(double, WATCH, card.ts)).toHaveLength(1);

  // A manager's reply in the card's thread becomes a note on the ticket.
  await double.socket.sendEvent({
    type: 'message',
    channel: WATCH,
    channel_type: 'channel',
    user: KARIM.id,
    text: 'J’appelle la compagnie, je reviens vers vous',
    ts: `${Math.floor(Date.now() / 1000)}.900001`,
    thread_ts: card.ts,
    parent_user_id: double.botUserId,
  });
  const note = await until(async () => (await app.store.decisionsFor(ticketId)).find((d) => d.action === 'note'), 'the note decision');
  expect(note).toMatchObject({ actorId: KARIM.id, platform: 'slack', payload: { text: 'J’appelle la compagnie, je reviens vers vous' } });

  // ✅ on the card resolves the ticket.
  await double.socket.sendEvent({ type: 'reaction_added', user: KARIM.id, reaction: 'white_check_mark', item_user: double.botUserId, item: { type: 'message', channel: WATCH, ts: card.ts }, event_ts: '1' });
  await until(async () => (await app.store.ticket(ticketId))?.status === 'resolved', 'the ticket resolved');
  expect((await app.store.decisionsFor(ticketId)).map((d) => d.action)).toEqual(['assign', 'note', 'resolve']);
  expect(await app.drained(30_000)).toBe(true);
  expect(visible(double.message(WATCH, card.ts))).toMatch(/résolu/i);

  // Nobody was pinged, least of all the people who clicked.
  for (const raw of everyPayload(double)) {
    expect(slackWouldPing(raw)).toBe(false);
    expect(raw).not.toContain(`<@${CAMILLE.id}`);
    expect(raw).not.toContain(`<@${KARIM.id}`);
  }
  expect((await app.store.verifyAudit()).problems).toEqual([]);
}, 90_000);

it('renders hostile mention text as text: no broadcast, user ping or disguised link reaches Slack', async () => {
  const { app, double } = await startSlackApp();
  const hostile = '<!channel> <@U123> <https://evil.example|x> <!here> <#C0CRISE> <!subteam^S0CELLULE> retard story:inj';
  await app.ingest([
    mention({ id: 'h1', text: hostile, author: { id: 'evil', handle: '<!everyone>', name: '<@U0CAMILLE>', followers: 3 } }),
    mention({ id: 'h2', text: `${hostile} bombe`, author: { id: 'evil', handle: '<!everyone>', name: '<@U0CAMILLE>', followers: 3 } }),
  ]);
  expect(await app.drained(30_000)).toBe(true);
  const ticketId = await ticketIdOf(app, 'inj');
  const card = cardOf(double, WATCH, ticketId);
  if (!card) throw new Error('card not posted');
  // Escaped, so a reader still sees what was written.
  expect(card.raw).toContain('&lt;!channel&gt;');
  expect(card.raw).toContain('&lt;https://evil.example|x&gt;');
  expect(double.callsTo('chat.postMessage').length).toBeGreaterThan(0);
  const payloads = everyPayload(double);
  expect(payloads.length).toBeGreaterThan(0);
  for (const raw of payloads) {
    expect(slackWouldPing(raw)).toBe(false);
    expect(raw).not.toContain('<https://evil');
  }
}, 60_000);

it('honours 429 Retry-After in a burst: every card lands exactly once', async () => {
  // The queue is told Slack takes 5 posts a second while the double takes 1: most posts meet a 429.
  const { app, double } = await startSlackApp({ delivery: { postsPerSecond: 5, stormBacklog: 100 } });
  double.inject({ method: 'chat.postMessage', kind: 'rate-limit', retryAfterSeconds: 1 });
  double.inject({ method: 'chat.postMessage', kind: 'rate-limit', retryAfterSeconds: 2 });
  const stories = ['a', 'b', 'c', 'd', 'e', 'f'];
  await app.ingest(stories.map((s, i) => mention({ id: `s${i}`, text: `retard story:${s}` })));
  await app.ingest([mention({ id: 'crit', text: 'bombe story:g' })]);
  expect(await app.drained(60_000)).toBe(true);

  const ids = await Promise.all([...stories, 'g'].map((s) => ticketIdOf(app, s)));
  const limited = double.callsTo('chat.postMessage').filter((c) => c.status === 429);
  expect(limited.length).toBeGreaterThanOrEqual(2);
  expect(landedPerKey(double, WATCH)).toEqual(new Map(ids.map((id) => [`card:${id}:slack:${WATCH}`, 1])));
  expect(landedPerKey(double, CRISIS)).toEqual(new Map([[`card:${ids.at(-1)}:slack:${CRISIS}`, 1]]));
  const [row] = await app.store.database.rows<{ n: number }>(sql`select count(*)::int as n from deliveries where kind = 'card' and state <> 'done'`);
  expect(row?.n).toBe(0);
}, 90_000);

it('after a lost answer, finds the card that landed instead of posting it twice', async () => {
  const { app, double } = await startSlackApp();
  double.inject({ method: 'chat.postMessage', kind: 'lose-answer' });
  await app.ingest([mention({ id: 'r1', text: 'retard ligne 4 story:l4' })]);
  expect(await app.drained(30_000)).toBe(true);
  const ticketId = await ticketIdOf(app, 'l4');
  const key = `card:${ticketId}:slack:${WATCH}`;

  expect(landedPerKey(double, WATCH)).toEqual(new Map([[key, 1]]));
  expect(double.callsTo('chat.postMessage')).toHaveLength(1);
  expect(double.callsTo('conversations.history').length).toBeGreaterThan(0);
  // The message that landed is the one the ticket points at: later updates edit it.
  const landed = topLevel(double, WATCH)[0];
  expect((await app.store.refByKey(key))?.messageId).toBe(landed?.ts);
  await app.ingest([mention({ id: 'r2', text: 'encore du retard story:l4' })]);
  expect(await app.drained(30_000)).toBe(true);
  expect(double.callsTo('chat.update').some((c) => c.body.ts === landed?.ts)).toBe(true);
  expect(double.callsTo('chat.postMessage')).toHaveLength(1);
}, 60_000);

it('in a storm, folds low stories into one storm card and still gives a critical story its own card', async () => {
  const { app, double } = await startSlackApp({ delivery: { stormBacklog: 3 } });
  const low = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  await app.ingest(low.map((s, i) => mention({ id: `l${i}`, text: `retard story:${s}` })));
  await app.ingest([mention({ id: 'crit', text: 'Alerte bombe story:crit' })]);
  expect(await app.drained(60_000)).toBe(true);

  const crit = await ticketIdOf(app, 'crit');
  const landed = landedPerKey(double, WATCH);
  expect(landed.get(`card:${crit}:slack:${WATCH}`)).toBe(1);
  const stormKeys = [...landed.keys()].filter((k) => k.startsWith('storm:'));
  expect(stormKeys).toHaveLength(1);
  for (const count of landed.values()) expect(count).toBe(1);
  // Nothing goes silent: every low story has its own card or a line in the storm card.
  const cards = new Set([...landed.keys()].filter((k) => k.startsWith('card:')));
  const storm = topLevel(double, WATCH).find((m) => keyOf(m)?.startsWith('storm:'));
  let folded = 0;
  for (const s of low) {
    const id = await ticketIdOf(app, s);
    const own = cards.has(`card:${id}:slack:${WATCH}`);
    const listed = visible(storm).includes(`#${id}`);
    expect(own || listed).toBe(true);
    if (!own) folded += 1;
  }
  // The storm card is edited in place, and not once per folded story.
  expect(folded).toBeGreaterThanOrEqual(3);
  expect(double.callsTo('chat.update').filter((c) => c.body.ts === storm?.ts).length).toBeLessThan(folded);
  // Fewer messages than stories: that is the point of the storm card.
  expect(topLevel(double, WATCH).length).toBeLessThan(low.length + 1);
}, 90_000);
