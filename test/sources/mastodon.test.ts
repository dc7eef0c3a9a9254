import { afterEach, describe, expect, it } from 'vitest';
import { MastodonSource, type MastodonOptions } from '../../adapters/sources/mastodon/mastodon-source.js';
import { htmlToText } from '../../adapters/sources/mastodon/html-to-text.js';
import { parseStream } from '../../adapters/sources/mastodon/streams.js';
import { isVigieError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/ops/logger.js';
import { type MastodonDouble, mastodonStatus, startMastodonDouble } from '../doubles/sources/mastodon-double.js';
import { instantTimers, MemoryCursorStore, RecordingSink, until } from '../doubles/sources/recording.js';

let double: MastodonDouble | null = null;
const sources: MastodonSource[] = [];

afterEach(async () => {
  for (const s of sources.splice(0)) await s.stop();
  await double?.close();
  double = null;
});

function make(d: MastodonDouble, extra: Partial<MastodonOptions> = {}, cursors = new MemoryCursorStore()) {
  const timers = instantTimers();
  const source = new MastodonSource(
    { id: 'masto', instanceUrl: d.origin, streams: [parseStream('hashtag:ratp')!], token: 'read-token', cursors, ...extra },
    { logger: silentLogger(), timers },
  );
  sources.push(source);
  return { source, timers, cursors };
}

describe('Mastodon HTML to text', () => {
  it('keeps link addresses and hashtags as text, decodes entities, never lets markup through', () => {
    const html =
      '<p>Panne <a href="https://example.org/tags/RATP" class="mention hashtag">#<span>RATP</span></a> ligne 4 &amp; 6 &#8212; voir ' +
      '<a href="https://example.com/a/very/long"><span class="invisible">https://</span><span class="ellipsis">example.com/a/ve</span><span class="invisible">ry/long</span></a></p>' +
      '<p>2e ligne<br>3e &lt;script&gt;alert(1)&lt;/script&gt; &#x1F687;</p>';
    expect(htmlToText(html)).toBe('Panne #RATP ligne 4 & 6 — voir https://example.com/a/very/long\n\n2e ligne\n3e <script>alert(1)</script> 🚇');
  });
});

describe('Mastodon source', () => {
  it('streams a hashtag over WebSocket with the token in the header, and builds the mention', async () => {
    double = await startMastodonDouble({ readTokens: ['read-token'] });
    const sink = new RecordingSink();
    const { source } = make(double, { account: '@MetroVille' });
    await source.start(sink.sink);
    await until(() => double!.openStreams() === 1, 'stream open');
    double.publish(mastodonStatus({ id: '1001', html: '<p>Off topic</p>', tags: ['chats'] }));
    double.publish(mastodonStatus({ id: '1002', html: '<p>Encore un retard <a href="x">#<span>ratp</span></a> l&#39;horreur</p>', acct: 'bob@other.example', tags: ['ratp'], inReplyToId: '999' }));
    await sink.waitFor(1);
    expect(double.connections[0]).toMatchObject({ transport: 'websocket', stream: 'hashtag', tag: 'ratp', token: 'read-token' });
    expect(double.connections[0]!.headerToken).toBe('read-token');
    expect([...sink.stored.values()]).toEqual([
      {
        source: 'mastodon',
        id: '1002',
        url: 'https://social.example/@bob/1002',
        text: "Encore un retard #ratp l'horreur",
        lang: 'fr',
        createdAt: '2026-11-28T08:00:00.000Z',
        account: '@MetroVille',
        author: { id: 'bob@other.example', handle: 'bob@other.example', name: 'bob name', followers: 12, bio: 'bio & more' },
        replyTo: '999',
        repostOf: null,
        quoteOf: null,
      },
    ]);
    expect(source.health().connected).toBe(true);
  });

  it('takes mention notifications, skips malformed frames and payloads', async () => {
    double = await startMastodonDouble();
    const sink = new RecordingSink();
    const { source } = make(double, { streams: [parseStream('notifications')!] });
    await source.start(sink.sink);
    await until(() => double!.openStreams() === 1, 'stream open');
    double.sendRaw('not json at all');
    double.sendRaw(JSON.stringify({ stream: ['user:notification'], event: 'notification', payload: '{"id":' }));
    const acc = { id: '1', username: 'x', acct: 'x' };
    double.notify({ id: 'n1', type: 'favourite', created_at: '2026-11-28T08:00:00Z', account: acc, status: mastodonStatus({ id: '50', html: 'ours' }) });
    double.notify({ id: 'n2', type: 'mention', created_at: '2026-11-28T08:00:00Z', account: acc, status: mastodonStatus({ id: '51', html: '<p>@vigie au secours</p>' }) });
    await sink.waitFor(1);
    expect(sink.ids()).toEqual(['51']);
    expect(double.connections[0]!.stream).toBe('user:notification');
    expect(source.health().errors).toBe(2);
  });

  it('reconnects after a drop and fills the gap from the timeline (min_id), across a restart too', async () => {
    double = await startMastodonDouble();
    const cursors = new MemoryCursorStore();
    const sink = new RecordingSink();
    const first = make(double, {}, cursors).source;
    await first.start(sink.sink);
    await until(() => double!.openStreams() === 1, 'stream open');
    double.publish(mastodonStatus({ id: '2001', html: 'a', tags: ['ratp'] }));
    await sink.waitFor(1);
    await until(() => cursors.values.get('mastodon:masto:hashtag:ratp') === '2001', 'position saved');
    double.dropAll();
    // Posted while the stream was down: only the timeline has them.
    for (let i = 2; i <= 60; i++) double.store(mastodonStatus({ id: String(2000 + i), html: `gap ${i}`, tags: ['ratp'] }));
    await sink.waitFor(60);
    expect(double.requests.some((r) => r.startsWith('GET /api/v1/timelines/tag/ratp?min_id=2001'))).toBe(true);
    await first.stop();

    for (let i = 61; i <= 70; i++) double.store(mastodonStatus({ id: String(2000 + i), html: `down ${i}`, tags: ['ratp'] }));
    const second = make(double, {}, cursors).source;
    await second.start(sink.sink);
    await sink.waitFor(70);
    expect(sink.stored.size).toBe(70);
  });

  it('waits out a 429 on connect (Retry-After) before trying again', async () => {
    double = await startMastodonDouble();
    double.rateLimitConnects(1, 120);
    const sink = new RecordingSink();
    const { source, timers } = make(double);
    await source.start(sink.sink);
    await until(() => double!.openStreams() === 1, 'stream open after the 429');
    expect(timers.delays[0]).toBeGreaterThanOrEqual(120_000);
  });

  it('reads the same streams over server-sent events', async () => {
    double = await startMastodonDouble();
    const sink = new RecordingSink();
    const { source } = make(double, { transport: 'sse', streams: [parseStream('public:local')!] });
    await source.start(sink.sink);
    await until(() => double!.openStreams() === 1, 'sse open');
    double.sendRaw('{broken');
    double.publish(mastodonStatus({ id: '3001', html: '<p>bonjour&nbsp;!</p>' }));
    await sink.waitFor(1);
    expect(double.connections[0]).toMatchObject({ transport: 'sse', stream: 'public:local' });
    expect([...sink.stored.values()][0]!.text).toBe('bonjour !');
    expect(source.health().errors).toBe(1);
  });

  it('replies with in_reply_to_id and an idempotency key; a read-only token is refused', async () => {
    double = await startMastodonDouble({ writeTokens: ['write-token'] });
    const writer = make(double, { token: 'write-token' }).source;
    const result = await writer.reply!({ inReplyTo: '1002', text: 'Bonjour, la ligne 4 est rétablie.' });
    expect(double.posted).toEqual([{ status: 'Bonjour, la ligne 4 est rétablie.', in_reply_to_id: '1002', idempotencyKey: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(result.url).toMatch(/\/@vigie\//);
    const reader = make(double, { token: 'read-token' }).source;
    const refused = await reader.reply!({ inReplyTo: '1002', text: 'x' }).catch((e: unknown) => e);
    expect(isVigieError(refused, 'forbidden')).toBe(true);
    expect(writer.replyMaxLength).toBe(500);
    expect(make(double, { token: null }).source.reply).toBeUndefined();
  });
});
