import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createMemoryQueue } from '../../adapters/queue/memory/memory-queue.js';
import type { Card } from '../../src/chat/card.js';
import { type ChatPlatform, type MessageRef, PlatformRateLimitError } from '../../src/chat/port.js';
import { loadConfig } from '../../src/config/load.js';
import { systemClock } from '../../src/core/clock.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import type { JobQueue } from '../../src/jobs/queue.js';
import { silentLogger } from '../../src/ops/logger.js';
import { cardPriority } from '../../src/pipeline/ingest.js';
import { pgliteDb, type TestDb } from '../support/databases.js';

/**
 * The delivery worker's pacing with the in-process queue, PGlite and a recording platform. Timers and
 * the clock are vitest's fake ones (setImmediate stays real: the database turns on it), so the times
 * below are those of the fake clock: exact, and nothing depends on how fast the machine is.
 */

const CHANNEL = 'C1';
const SPACING = 1_060; // one post a second, plus the worker's margin
const LOW = cardPriority('watch');
const CRITICAL = cardPriority('critical');

let db: TestDb;
let queue: JobQueue;
let t0: number;

beforeEach(async () => {
  db = await pgliteDb();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  t0 = Date.now();
});

afterEach(async () => {
  // A job still waiting for a slot would hold close() until its fake timer fires.
  await vi.advanceTimersByTimeAsync(60_000);
  await queue?.close();
  vi.useRealTimers();
  await db.cleanup();
});

interface Post {
  key: string;
  at: number;
  status: 'ok' | 429;
}

/** A Slack-like platform that records each post at the fake clock's time; `refuse` answers 429 once per key. */
function recordingPlatform(refuse: Map<string, number> = new Map()) {
  const posts: Post[] = [];
  let seq = 0;
  const post = async (channel: string, key: string): Promise<MessageRef> => {
    const retryAfterMs = refuse.get(key);
    if (retryAfterMs !== undefined) {
      refuse.delete(key);
      posts.push({ key, at: Date.now() - t0, status: 429 });
      throw new PlatformRateLimitError(retryAfterMs);
    }
    posts.push({ key, at: Date.now() - t0, status: 'ok' });
    seq += 1;
    return { platform: 'slack', channel, messageId: String(seq) };
  };
  const platform: ChatPlatform = {
    platform: 'slack',
    start: async () => {},
    stop: async () => {},
    postCard: (channel, _card, key) => post(channel, key),
    postNotice: (channel, _notice, key) => post(channel, key),
    updateCard: async () => {},
    updateNotice: async () => {},
    find: async () => null,
    health: () => ({ ok: true }),
  };
  return { platform, posts, landed: () => posts.filter((p) => p.status === 'ok') };
}

async function startWorker(platform: ChatPlatform) {
  const loaded = loadConfig(undefined, '/nonexistent');
  const config = { ...loaded.config, delivery: { ...loaded.config.delivery, postsPerSecond: 1, stormBacklog: 100 } };
  queue = createMemoryQueue();
  const worker = createDeliveryWorker({
    store: db.store,
    queue,
    platforms: new Map([['slack', platform]]),
    buildCard: async (ticketId) => ({ ticketId, version: 1 }) as Card,
    config,
    clock: systemClock,
    logger: silentLogger(),
  });
  worker.register();
  await queue.start();
  return worker;
}

async function addCards(worker: ReturnType<typeof createDeliveryWorker>, cards: Array<{ key: string; priority: number }>) {
  const rows = await db.store.addDeliveries(
    cards.map((c, i) => ({ key: c.key, kind: 'card' as const, platform: 'slack' as const, channel: CHANNEL, ticketId: i + 1, priority: c.priority })),
  );
  await worker.enqueue(rows);
}

/** Lets the real event loop run (the database answers on it) until `probe` holds. */
async function until(probe: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 20_000; i += 1) {
    if (await probe()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

/** A few hundred turns of the event loop: enough for a job to go from its claim to the pacer. */
async function settle(): Promise<void> {
  for (let i = 0; i < 300; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

async function stateOf(key: string): Promise<string | undefined> {
  const [row] = await db.database.rows<{ state: string }>(sql`select state from deliveries where key = ${key}`);
  return row?.state;
}

it('posts a critical card at the channel’s next slot, before the low cards queued ahead of it, never two posts within a second', async () => {
  const { platform, landed } = recordingPlatform();
  const worker = await startWorker(platform);
  await addCards(worker, [
    { key: 'low-1', priority: LOW },
    { key: 'low-2', priority: LOW },
    { key: 'low-3', priority: LOW },
  ]);
  await until(() => landed().length === 1, 'the first low card');

  await vi.advanceTimersByTimeAsync(200);
  await addCards(worker, [{ key: 'critical', priority: CRITICAL }]);
  await until(async () => (await stateOf('critical')) === 'sending', 'the critical card claimed by its own lane');
  await settle();
  for (let step = 0; step < 4; step += 1) {
    await vi.advanceTimersByTimeAsync(SPACING);
    await settle();
  }
  await until(() => landed().length === 4, 'every card');

  expect(landed()).toEqual([
    { key: 'low-1', at: 0, status: 'ok' },
    { key: 'critical', at: SPACING, status: 'ok' },
    { key: 'low-2', at: 2 * SPACING, status: 'ok' },
    { key: 'low-3', at: 3 * SPACING, status: 'ok' },
  ]);
});

it('holds a low card already claimed while Retry-After runs, and gives the refused critical card the first slot after it', async () => {
  const { platform, posts } = recordingPlatform(new Map([['critical', 3_000]]));
  const worker = await startWorker(platform);
  await addCards(worker, [
    { key: 'low-1', priority: LOW },
    { key: 'low-2', priority: LOW },
  ]);
  await until(() => posts.length === 1, 'the first low card');
  await addCards(worker, [{ key: 'critical', priority: CRITICAL }]);
  await until(async () => (await stateOf('critical')) === 'sending', 'the critical card claimed');
  await settle();
  // The critical card is refused at its slot; low-2's job starts at the same moment.
  await vi.advanceTimersByTimeAsync(SPACING);
  await settle();
  await until(async () => (await stateOf('low-2')) === 'sending', 'low-2 claimed');
  await settle();
  for (let step = 0; step < 10; step += 1) {
    await vi.advanceTimersByTimeAsync(500);
    await settle();
  }
  await until(() => posts.length === 4, `every post (so far ${JSON.stringify(posts)})`);

  expect(posts).toEqual([
    { key: 'low-1', at: 0, status: 'ok' },
    { key: 'critical', at: SPACING, status: 429 },
    { key: 'critical', at: SPACING + 3_000, status: 'ok' },
    { key: 'low-2', at: 2 * SPACING + 3_000, status: 'ok' },
  ]);
  expect(await stateOf('critical')).toBe('done');
  expect(await stateOf('low-2')).toBe('done');
});
