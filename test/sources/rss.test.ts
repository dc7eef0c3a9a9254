import { afterEach, describe, expect, it } from 'vitest';
import { parseFeed } from '../../adapters/sources/rss/feed-parser.js';
import { rememberSeen } from '../../adapters/sources/rss/feed-state.js';
import { type FeedOptions, RssSource } from '../../adapters/sources/rss/rss-source.js';
import { mentionSchema } from '../../src/mentions/mention.js';
import { silentLogger } from '../../src/ops/logger.js';
import { atomDocument, type FeedDouble, type FeedItem, rssDocument, startFeedDouble } from '../doubles/sources/feed-double.js';
import { manualTimers, MemoryCursorStore, RecordingSink, until } from '../doubles/sources/recording.js';

let double: FeedDouble | null = null;
const sources: RssSource[] = [];

afterEach(async () => {
  for (const s of sources.splice(0)) await s.stop();
  await double?.close();
  double = null;
});

function make(feeds: FeedOptions[], cursors = new MemoryCursorStore()) {
  const timers = manualTimers();
  const source = new RssSource({ id: 'press', feeds, cursors }, { logger: silentLogger(), timers, random: () => 0.5 });
  sources.push(source);
  return { source, timers, cursors };
}

const item = (n: number, extra: Partial<FeedItem> = {}): FeedItem => ({
  guid: `https://news.example/articles/${n}`,
  link: `https://news.example/articles/${n}`,
  title: `Article ${n} : grève & retards`,
  description: `<p>Résumé <b>${n}</b> &eacute;crit</p>`,
  pubDate: new Date(Date.UTC(2026, 10, 28, 7, n)),
  author: 'Jeanne Reporter',
  ...extra,
});

/** Waits until the source has finished a poll and sleeps again. */
async function polled(timers: ReturnType<typeof manualTimers>, rounds: number) {
  await until(() => timers.delays.length >= rounds && timers.pending() > 0, `poll ${rounds}`);
}

describe('RSS / Atom source', () => {
  it('polls with ETag, gets a 304, then takes only the new entry, oldest first', async () => {
    double = await startFeedDouble();
    double.serve('/rss', rssDocument({ title: 'News Example', link: 'https://news.example/', language: 'fr', items: [item(3), item(2), item(1)] }));
    const sink = new RecordingSink();
    const { source, timers } = make([{ url: `${double.origin}/rss`, intervalSeconds: 600, account: '@Ville' }]);
    await source.start(sink.sink);
    await polled(timers, 1);
    expect(sink.ids()).toEqual([1, 2, 3].map((n) => `https://news.example/articles/${n}`));
    const first = [...sink.stored.values()][0]!;
    expect(mentionSchema.safeParse(first).success).toBe(true);
    expect(first).toMatchObject({
      source: 'rss',
      url: 'https://news.example/articles/1',
      text: 'Article 1 : grève & retards\n\nRésumé 1 écrit',
      lang: 'fr',
      createdAt: '2026-11-28T07:01:00.000Z',
      account: '@Ville',
      author: { id: 'news.example', handle: 'news.example', name: 'Jeanne Reporter' },
    });
    expect(timers.delays[0]).toBe(600_000); // the interval (random 0.5 → no jitter offset)

    timers.advance();
    await polled(timers, 2);
    expect(double.requests[1]).toMatchObject({ status: 304, ifNoneMatch: expect.stringMatching(/^"/) });
    expect(sink.batches.length).toBe(1);

    double.serve('/rss', rssDocument({ title: 'News Example', link: 'https://news.example/', items: [item(4), item(3), item(2), item(1)] }));
    timers.advance();
    await polled(timers, 3);
    expect(double.requests[2]!.status).toBe(200);
    expect(sink.batches.at(-1)!.map((m) => m.id)).toEqual(['https://news.example/articles/4']);
    expect(source.health()).toMatchObject({ connected: true, errors: 0 });
  });

  it('reads Google Alerts Atom: unwraps the redirect link, strips HTML titles, keeps xml:lang', async () => {
    double = await startFeedDouble();
    double.serve(
      '/alerts',
      atomDocument({
        title: 'Google Alert - RATP',
        link: 'https://www.google.com/alerts/feeds/1/2',
        lang: 'fr',
        entries: [
          {
            id: 'tag:google.com,2013:googlealerts/feed:123',
            link: 'https://www.google.com/url?rct=j&sa=t&url=https://www.leparisien.fr/transports/greve-ratp.php&ct=ga&cd=x',
            title: 'Grève <b>RATP</b> : le trafic perturbé',
            summary: 'La <b>RATP</b> annonce&nbsp;des perturbations',
            published: new Date('2026-11-28T06:30:00Z'),
          },
        ],
      }),
      'application/atom+xml',
    );
    const sink = new RecordingSink();
    const { source, timers } = make([{ url: `${double.origin}/alerts` }]);
    await source.start(sink.sink);
    await polled(timers, 1);
    expect([...sink.stored.values()]).toEqual([
      {
        source: 'rss',
        id: 'tag:google.com,2013:googlealerts/feed:123',
        url: 'https://www.leparisien.fr/transports/greve-ratp.php',
        text: 'Grève RATP : le trafic perturbé\n\nLa RATP annonce des perturbations',
        lang: 'fr',
        createdAt: '2026-11-28T06:30:00.000Z',
        account: null,
        // Not the feed's title: the entry is not from google.com.
        author: { id: 'leparisien.fr', handle: 'leparisien.fr' },
        replyTo: null,
        repostOf: null,
        quoteOf: null,
      },
    ]);
  });

  it('de-duplicates by link when an entry comes back with another guid', async () => {
    double = await startFeedDouble();
    double.serve('/rss', rssDocument({ title: 'N', link: 'https://news.example/', items: [item(1)] }));
    const sink = new RecordingSink();
    const { source, timers } = make([{ url: `${double.origin}/rss` }]);
    await source.start(sink.sink);
    await polled(timers, 1);
    double.serve('/rss', rssDocument({ title: 'N', link: 'https://news.example/', items: [item(1, { guid: 'urn:other:1' }), item(2)] }));
    timers.advance();
    await polled(timers, 2);
    expect(sink.ids()).toEqual(['https://news.example/articles/1', 'https://news.example/articles/2']);
  });

  it('uses Last-Modified / If-Modified-Since when the server has no ETag', async () => {
    double = await startFeedDouble({ noEtag: true });
    double.serve('/rss', rssDocument({ title: 'N', link: 'https://news.example/', items: [item(1)] }));
    const sink = new RecordingSink();
    const { source, timers } = make([{ url: `${double.origin}/rss` }]);
    await source.start(sink.sink);
    await polled(timers, 1);
    timers.advance();
    await polled(timers, 2);
    expect(double.requests[1]).toMatchObject({ status: 304, ifNoneMatch: null, ifModifiedSince: expect.stringMatching(/GMT$/) });
  });

  it('waits out a 429 (Retry-After), survives a malformed document, and counts both', async () => {
    double = await startFeedDouble();
    double.fail('/rss', 1, 429, 3_600);
    double.serve('/rss', '<html><body>Oops, a login page</body></html>', 'text/html');
    const sink = new RecordingSink();
    const { source, timers } = make([{ url: `${double.origin}/rss`, intervalSeconds: 60 }]);
    await source.start(sink.sink);
    await polled(timers, 1);
    expect(timers.delays[0]).toBeGreaterThanOrEqual(3_600_000);
    expect(source.health()).toMatchObject({ connected: false, errors: 1, lastError: expect.stringContaining('HTTP 429') });
    timers.advance();
    await polled(timers, 2);
    expect(source.health().lastError).toMatch(/not a readable feed/);
    double.serve('/rss', rssDocument({ title: 'N', link: 'https://news.example/', items: [item(1)] }));
    timers.advance();
    await polled(timers, 3);
    expect(sink.ids()).toEqual(['https://news.example/articles/1']);
    expect(source.health().connected).toBe(true);
  });

  it('offers entries again when the sink failed, and remembers them across a restart', async () => {
    double = await startFeedDouble();
    double.serve('/rss', rssDocument({ title: 'N', link: 'https://news.example/', items: [item(2), item(1)] }));
    const cursors = new MemoryCursorStore();
    const sink = new RecordingSink();
    sink.failNext = 1;
    const first = make([{ url: `${double.origin}/rss` }], cursors);
    await first.source.start(sink.sink);
    await polled(first.timers, 1);
    expect(sink.stored.size).toBe(0);
    first.timers.advance();
    await polled(first.timers, 2);
    expect(double.requests[1]!.ifNoneMatch).toBeNull(); // nothing was saved after the failure
    expect(sink.stored.size).toBe(2);
    await first.source.stop();

    // The server lost its ETags (new deploy): a full 200 with the same entries must not come back.
    double.serve('/rss', rssDocument({ title: 'N', link: 'https://news.example/', items: [item(2), item(1)] }) + '\n');
    const batches = sink.batches.length;
    const second = make([{ url: `${double.origin}/rss` }], cursors);
    await second.source.start(sink.sink);
    await polled(second.timers, 1);
    expect(double.requests.at(-1)!.ifNoneMatch).toMatch(/^"/);
    expect(sink.batches.length).toBe(batches);
  });

  it('polls several feeds, each at its own interval', async () => {
    double = await startFeedDouble();
    double.serve('/a', rssDocument({ title: 'A', link: 'https://a.example/', items: [item(1)] }));
    double.serve('/b', rssDocument({ title: 'B', link: 'https://b.example/', items: [item(2)] }));
    const sink = new RecordingSink();
    const { source, timers } = make([
      { url: `${double.origin}/a`, intervalSeconds: 60 },
      { url: `${double.origin}/b`, intervalSeconds: 900 },
    ]);
    await source.start(sink.sink);
    await until(() => timers.delays.length === 2, 'both polled');
    expect([...timers.delays].sort((x, y) => x - y)).toEqual([60_000, 900_000]);
    expect(sink.stored.size).toBe(2);
  });
});

describe('feed parsing', () => {
  it('never expands entities declared in a DOCTYPE (XXE / billion laughs)', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY lol "lollollollol"> <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<rss version="2.0"><channel><title>T</title><link>https://x.example/</link>
<item><title>&lol; &xxe; &amp; &#233;</title><guid>g1</guid></item></channel></rss>`;
    const feed = parseFeed(xml);
    expect(feed.entries[0]!.title).toBe('&lol; &xxe; & é');
  });

  it('reads RSS 1.0 (RDF) items and refuses a document that is not a feed', () => {
    const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://r.example/"><title>R</title><link>https://r.example/</link></channel>
<item rdf:about="https://r.example/1"><title>Un</title><link>https://r.example/1</link><dc:date>2026-11-28T08:00:00+01:00</dc:date></item></rdf:RDF>`;
    const feed = parseFeed(rdf);
    expect(feed.entries).toEqual([{ id: 'https://r.example/1', link: 'https://r.example/1', title: 'Un', summary: '', author: null, published: '2026-11-28T08:00:00+01:00', lang: null }]);
    expect(() => parseFeed('<html><body>no</body></html>')).toThrow(/not a feed/);
  });

  it('keeps a bounded memory of seen entries, forgetting the oldest', () => {
    expect(rememberSeen(['a', 'b', 'c'], ['c', 'd', 'e'], 4)).toEqual(['b', 'c', 'd', 'e']);
  });
});
