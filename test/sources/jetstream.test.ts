import { afterEach, describe, expect, it } from 'vitest';
import { JetstreamSource } from '../../adapters/sources/jetstream/jetstream-source.js';
import { mentionSchema } from '../../src/mentions/mention.js';
import { silentLogger } from '../../src/ops/logger.js';
import { type JetstreamDouble, jetstreamIdentity, jetstreamPost, startJetstreamDouble } from '../doubles/sources/jetstream-double.js';
import { instantTimers, MemoryCursorStore, manualTimers, RecordingSink, until } from '../doubles/sources/recording.js';

const T0 = 1_800_000_000_000_000; // time_us
const DID = 'did:plc:abcdefghijklmnopqrstuvwx';

let double: JetstreamDouble | null = null;
const sources: JetstreamSource[] = [];

afterEach(async () => {
  for (const s of sources.splice(0)) await s.stop();
  await double?.close();
  double = null;
});

function make<T extends ReturnType<typeof instantTimers>>(
  url: string,
  cursors: MemoryCursorStore,
  extra: Partial<ConstructorParameters<typeof JetstreamSource>[0]> = {},
  timers: T = instantTimers() as T,
) {
  const source = new JetstreamSource({ id: 'bsky', url, cursors, persistEveryEvents: 1, ...extra }, { logger: silentLogger(), timers });
  sources.push(source);
  return { source, timers };
}

function post(i: number) {
  return jetstreamPost({ did: DID, rkey: `3k${String(i).padStart(6, '0')}`, timeUs: T0 + i * 1_000, text: `post number ${i}`, langs: ['fr'] });
}

describe('Jetstream source', () => {
  it('turns post creates into mentions with the AT URI as id, a bsky.app link, reply and quote refs', async () => {
    double = await startJetstreamDouble();
    const sink = new RecordingSink();
    const { source } = make(double.url, new MemoryCursorStore());
    await source.start(sink.sink);
    await until(() => double!.openConnections() === 1, 'connection');
    double.publish(jetstreamIdentity(DID, 'jdupont.bsky.social', T0));
    const parent = { uri: 'at://did:plc:zzz/app.bsky.feed.post/3parent', cid: 'bafyparent' };
    double.publish(
      jetstreamPost({
        did: DID,
        rkey: '3kabc',
        timeUs: T0 + 1,
        text: 'Alerte à Roissy voir example.com/very-lo...',
        langs: ['fr'],
        createdAt: '2026-11-28T08:00:00.000Z',
        reply: { root: parent, parent },
        embed: { $type: 'app.bsky.embed.record', record: { uri: 'at://did:plc:q/app.bsky.feed.post/3quoted', cid: 'bafyq' } },
        facets: [
          {
            index: { byteStart: Buffer.byteLength('Alerte à Roissy voir '), byteEnd: Buffer.byteLength('Alerte à Roissy voir example.com/very-lo...') },
            features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/very-long-path' }],
          },
        ],
      }),
    );
    double.publish({ did: DID, time_us: T0 + 2, kind: 'commit', commit: { operation: 'delete', collection: 'app.bsky.feed.post', rkey: '3kabc' } });
    await sink.waitFor(1);
    const m = [...sink.stored.values()][0]!;
    expect(mentionSchema.safeParse(m).success).toBe(true);
    expect(m).toMatchObject({
      source: 'bluesky',
      id: `at://${DID}/app.bsky.feed.post/3kabc`,
      url: `https://bsky.app/profile/${encodeURIComponent(DID)}/post/3kabc`,
      text: 'Alerte à Roissy voir https://example.com/very-long-path',
      lang: 'fr',
      createdAt: '2026-11-28T08:00:00.000Z',
      author: { id: DID, handle: 'jdupont.bsky.social' },
      replyTo: parent.uri,
      quoteOf: 'at://did:plc:q/app.bsky.feed.post/3quoted',
    });
    expect(double.connections[0]!.wantedCollections).toEqual(['app.bsky.feed.post']);
  });

  it('skips malformed events without stopping, and counts them in health', async () => {
    double = await startJetstreamDouble();
    const sink = new RecordingSink();
    const { source } = make(double.url, new MemoryCursorStore());
    await source.start(sink.sink);
    await until(() => double!.openConnections() === 1, 'connection');
    double.publish(post(1));
    double.publishRaw('{not json');
    double.publishRaw(JSON.stringify({ kind: 'commit', time_us: 'soon' }));
    double.publish({ ...post(2), commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: 'x', record: { text: 42 } } });
    double.publish(post(3));
    await sink.waitFor(2);
    expect(sink.ids()).toEqual([`at://${DID}/app.bsky.feed.post/3k000001`, `at://${DID}/app.bsky.feed.post/3k000003`]);
    expect(source.health().errors).toBe(3);
    expect(source.health().lastError).toMatch(/record: text/);
    expect(source.health().connected).toBe(true);
  });

  it('reconnects after a disconnect in the middle with the cursor (rewound) and misses nothing', async () => {
    double = await startJetstreamDouble({ dropAfter: [20] });
    const sink = new RecordingSink();
    const { source, timers } = make(double.url, new MemoryCursorStore(), { rewindMs: 2 });
    await source.start(sink.sink);
    await until(() => double!.openConnections() === 1, 'connection');
    for (let i = 1; i <= 100; i++) double.publish(post(i));
    await sink.waitFor(100);
    expect(sink.stored.size).toBe(100);
    expect(double.connections.length).toBe(2);
    // The 20th event went out just before the drop: the client resumes 2 ms (2 000 µs) before it.
    expect(double.connections[1]!.cursor).toBe(T0 + 20 * 1_000 - 2_000);
    expect(timers.delays.length).toBe(1);
    expect(source.health().errors).toBeGreaterThanOrEqual(1);
  });

  it('backs off exponentially while the server refuses, and stops cleanly meanwhile', async () => {
    double = await startJetstreamDouble({ path: '/elsewhere' });
    const sink = new RecordingSink();
    const { source, timers } = make(double.url.replace('/elsewhere', '/subscribe'), new MemoryCursorStore());
    await source.start(sink.sink);
    await until(() => timers.delays.length >= 6, 'several retries');
    await source.stop();
    const d = timers.delays;
    // Equal jitter: each delay is within [step/2, step] of a doubling step starting at 1 s.
    for (let i = 0; i < 6; i++) {
      const step = Math.min(120_000, 1_000 * 2 ** i);
      expect(d[i]).toBeGreaterThanOrEqual(step / 2);
      expect(d[i]).toBeLessThanOrEqual(step);
    }
    expect(source.health().connected).toBe(false);
  });

  it('resumes from the persisted cursor when a new instance starts (restart)', async () => {
    double = await startJetstreamDouble();
    const cursors = new MemoryCursorStore();
    const sinkA = new RecordingSink();
    const first = make(double.url, cursors, { rewindMs: 1 }).source;
    await first.start(sinkA.sink);
    await until(() => double!.openConnections() === 1, 'connection');
    for (let i = 1; i <= 30; i++) double.publish(post(i));
    await sinkA.waitFor(30);
    await first.stop();
    expect(cursors.values.get('jetstream:bsky')).toBe(String(T0 + 30 * 1_000));
    for (let i = 31; i <= 60; i++) double.publish(post(i)); // while Vigie is down

    const sinkB = new RecordingSink();
    const second = make(double.url, cursors, { rewindMs: 1 }).source;
    await second.start(sinkB.sink);
    await sinkB.waitFor(30);
    expect(double.connections.at(-1)!.cursor).toBe(T0 + 30 * 1_000 - 1_000);
    const all = new Set([...sinkA.ids(), ...sinkB.ids()]);
    expect(all.size).toBe(60);
  });

  it('keeps retrying a failing sink without advancing the cursor past unstored mentions', async () => {
    double = await startJetstreamDouble();
    const cursors = new MemoryCursorStore();
    const sink = new RecordingSink();
    sink.failNext = 3;
    // Timers moved by hand: each retry happens only when the test says so, whatever the machine's load.
    const { source, timers } = make(double.url, cursors, {}, manualTimers());
    await source.start(sink.sink);
    await until(() => double!.openConnections() === 1, 'connection');
    double.publish(post(1));
    for (let failure = 1; failure <= 3; failure++) {
      await until(() => timers.pending() === 1, `sink failure ${failure}`);
      expect(cursors.values.get('jetstream:bsky')).toBeUndefined();
      expect(sink.stored.size).toBe(0);
      timers.advance();
    }
    await sink.waitFor(1);
    await until(() => cursors.values.get('jetstream:bsky') === String(T0 + 1_000), 'cursor saved');
  });

  it('stops reading when the sink is slow (bounded buffer) and catches up when it recovers', async () => {
    double = await startJetstreamDouble();
    const sink = new RecordingSink();
    const { source } = make(double.url, new MemoryCursorStore(), { maxBuffered: 50, batchSize: 10 });
    await source.start(sink.sink);
    await until(() => double!.openConnections() === 1, 'connection');
    sink.hold();
    const filler = 'x'.repeat(2_000);
    const total = 5_000;
    for (let i = 1; i <= total; i++) double.publish({ ...post(i), commit: { ...(post(i).commit as object), record: { text: `${i} ${filler}`, createdAt: '2026-01-01T00:00:00Z' } } });
    // The client paused its socket: frames pile up on the server side instead of in Vigie's memory.
    // Wait until the transfer settles (the buffered amount stops changing), then check where it stopped.
    let previous = -1;
    let stable = 0;
    await until(() => {
      const now = double!.bufferedAmount();
      stable = now === previous ? stable + 1 : 0;
      previous = now;
      return stable >= 50;
    }, 'transfer settled');
    expect(double.bufferedAmount()).toBeGreaterThan(1_000_000);
    sink.release();
    await sink.waitFor(total);
    expect(Math.max(...sink.batches.map((b) => b.length))).toBeLessThanOrEqual(10);
  });

  it('asks only for the configured accounts when wantedDids is set', async () => {
    double = await startJetstreamDouble();
    const sink = new RecordingSink();
    const { source } = make(double.url, new MemoryCursorStore(), { wantedDids: [DID] });
    await source.start(sink.sink);
    await until(() => double!.openConnections() === 1, 'connection');
    double.publish(jetstreamPost({ did: 'did:plc:other', rkey: 'o1', timeUs: T0 + 1, text: 'not wanted' }));
    double.publish(post(2));
    await sink.waitFor(1);
    expect(double.connections[0]!.wantedDids).toEqual([DID]);
    expect(sink.ids()).toEqual([`at://${DID}/app.bsky.feed.post/3k000002`]);
  });
});
