import { afterEach, describe, expect, it } from 'vitest';
import { JetstreamSource } from '../../adapters/sources/jetstream/jetstream-source.js';
import { isVigieError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/ops/logger.js';
import { type AtprotoDouble, startAtprotoDouble } from '../doubles/sources/atproto-double.js';
import { MemoryCursorStore } from '../doubles/sources/recording.js';

const ME = { did: 'did:plc:vigieaccount000000000000', handle: 'vigie.example.org', appPassword: 'abcd-efgh-ijkl-mnop' };
const ROOT = { uri: 'at://did:plc:alice/app.bsky.feed.post/3root', cid: 'bafyroot' };
const PARENT = 'at://did:plc:bob/app.bsky.feed.post/3parent';

let double: AtprotoDouble | null = null;
afterEach(async () => {
  await double?.close();
  double = null;
});

function source(d: AtprotoDouble, password = ME.appPassword) {
  return new JetstreamSource(
    { id: 'bsky', url: 'ws://127.0.0.1:1/subscribe', cursors: new MemoryCursorStore(), reply: { serviceUrl: d.origin, identifier: ME.handle, appPassword: password } },
    { logger: silentLogger(), clock: () => new Date('2026-11-28T09:00:00.000Z') },
  );
}

describe('Bluesky replies (AT Protocol)', () => {
  it('answers inside the thread: parent from getRecord, root from the parent, links as facets', async () => {
    double = await startAtprotoDouble(ME);
    double.records.set(PARENT, { uri: PARENT, cid: 'bafyparent', value: { text: 'Roissy ?', createdAt: '2026-11-28T08:00:00Z', reply: { root: ROOT, parent: ROOT } } });
    const result = await source(double).reply!({ inReplyTo: PARENT, text: 'Bonjour, infos trafic : https://example.org/trafic' });
    expect(double.created).toEqual([
      {
        repo: ME.did,
        collection: 'app.bsky.feed.post',
        record: {
          $type: 'app.bsky.feed.post',
          text: 'Bonjour, infos trafic : https://example.org/trafic',
          createdAt: '2026-11-28T09:00:00.000Z',
          reply: { root: ROOT, parent: { uri: PARENT, cid: 'bafyparent' } },
          facets: [{ index: { byteStart: Buffer.byteLength('Bonjour, infos trafic : '), byteEnd: 50 }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.org/trafic' }] }],
        },
      },
    ]);
    expect(result).toEqual({ id: `at://${ME.did}/app.bsky.feed.post/3reply1`, url: `https://bsky.app/profile/${encodeURIComponent(ME.did)}/post/3reply1` });
  });

  it('uses the parent as root for a top-level post, and renews an expired session once', async () => {
    double = await startAtprotoDouble(ME);
    double.records.set(ROOT.uri, { uri: ROOT.uri, cid: ROOT.cid, value: { text: 'top', createdAt: '2026-11-28T08:00:00Z' } });
    const s = source(double);
    await s.reply!({ inReplyTo: ROOT.uri, text: 'un' });
    double.expireNextToken();
    await s.reply!({ inReplyTo: `https://bsky.app/profile/did:plc:alice/post/3root`, text: 'deux' });
    expect(double.created.map((c) => c.record.reply)).toEqual([
      { root: ROOT, parent: ROOT },
      { root: ROOT, parent: ROOT },
    ]);
    expect(double.sessions).toBe(2);
  });

  it('refuses text over 300 characters, a wrong app password, and what is not a post', async () => {
    double = await startAtprotoDouble(ME);
    const s = source(double);
    expect(s.replyMaxLength).toBe(300);
    await expect(s.reply!({ inReplyTo: ROOT.uri, text: 'é'.repeat(301) })).rejects.toThrow(/at most 300/);
    await expect(s.reply!({ inReplyTo: 'https://example.org/', text: 'x' })).rejects.toThrow(/not a Bluesky post/);
    const refused = await source(double, 'wrong').reply!({ inReplyTo: ROOT.uri, text: 'x' }).catch((e: unknown) => e);
    expect(isVigieError(refused, 'forbidden')).toBe(true);
  });
});
