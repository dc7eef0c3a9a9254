import { afterEach, describe, expect, it } from 'vitest';
import { translateQueryToXRule } from '../../adapters/sources/x/query-to-rule.js';
import { X_BACKOFF } from '../../adapters/sources/x/x-backoff.js';
import { type XOptions, XSource } from '../../adapters/sources/x/x-source.js';
import { silentLogger } from '../../src/ops/logger.js';
import { instantTimers, RecordingSink, until } from '../doubles/sources/recording.js';
import { startXDouble, type XDouble, xPostLine } from '../doubles/sources/x-double.js';

let double: XDouble | null = null;
const sources: XSource[] = [];

afterEach(async () => {
  for (const s of sources.splice(0)) await s.stop();
  await double?.close();
  double = null;
});

function make(d: XDouble, extra: Partial<XOptions> = {}) {
  const timers = instantTimers();
  const source = new XSource({ id: 'x', apiUrl: d.origin, bearerToken: 'bearer-token', ...extra }, { logger: silentLogger(), timers, random: () => 0 });
  sources.push(source);
  return { source, timers };
}

describe('translateQueryToXRule', () => {
  it.each([
    ['bombe AND roissy', 'bombe roissy'],
    ['retard OR panne', 'retard OR panne'],
    ['(retard OR panne) ligne NOT exercice', '(retard OR panne) ligne -exercice'],
    ['roissy NOT (exercice OR test)', 'roissy -exercice -test'],
    ['"alerte à la bombe" roissy', '("alerte à la bombe" OR "alerte a la bombe") roissy'],
    ['grève ratp', '(grève OR greve) ratp'],
    ['lang:fr incendie', 'lang:fr incendie'],
    ['author:@ParisAeroport bagage', 'from:ParisAeroport bagage'],
    ['source:x bombe', 'bombe'],
    ['#RATP OR @RATPgroup', '#RATP OR @RATPgroup'],
  ])('%s → %s', (query, rule) => {
    expect(translateQueryToXRule(query)).toBe(rule);
  });

  it.each([
    'grève* ratp', // wildcard
    '("bagage" OR "colis") NEAR/3 suspect', // proximity
    'roissy NOT (exercice AND test)', // X cannot negate a group
    'lang:fr', // no standalone operator
    'NOT bombe',
    'incendie OR lang:fr', // one branch would match every French post
    'source:bluesky bombe', // never on X
    'account:@MetroVille panne', // decided by Vigie
    '$lignes retard',
  ])('%s does not translate', (query) => {
    expect(translateQueryToXRule(query)).toBeNull();
  });
});

describe('X filtered stream source', () => {
  it('reads posts with their author, ignores keep-alives, skips malformed lines and reports stream errors', async () => {
    double = await startXDouble();
    const sink = new RecordingSink();
    const { source } = make(double, { account: '@ParisAeroport' });
    await source.start(sink.sink);
    await until(() => double!.openStreams() === 1, 'stream open');
    double.keepAlive();
    double.pushRaw('{"data": {"id": "abc"');
    double.push({ data: { id: 'not-numeric', text: 'x' } });
    double.push({ errors: [{ title: 'operational-disconnect', detail: 'This stream has been disconnected for operational reasons.' }] });
    double.keepAlive();
    double.push(xPostLine({ id: '1800000000000000001', text: 'Alerte à la bombe à Roissy ?', refs: [{ type: 'quoted', id: '1799' }] }));
    await sink.waitFor(1);
    expect([...sink.stored.values()]).toEqual([
      {
        source: 'x',
        id: '1800000000000000001',
        url: 'https://x.com/jdupont/status/1800000000000000001',
        text: 'Alerte à la bombe à Roissy ?',
        lang: 'fr',
        createdAt: '2026-11-28T08:00:00.000Z',
        account: '@ParisAeroport',
        author: { id: 'u-jdupont', handle: 'jdupont', name: 'J. Dupont', followers: 8_200, verified: false, bio: 'Usager' },
        replyTo: null,
        repostOf: null,
        quoteOf: '1799',
      },
    ]);
    expect(double.connections[0]!.get('expansions')).toBe('author_id');
    expect(source.health()).toMatchObject({ connected: true, errors: 3, lastError: expect.stringContaining('operational-disconnect') });
  });

  it('backs off as X documents: 1 min doubling for 429, 5 s doubling for HTTP errors, linear for a dropped connection', async () => {
    double = await startXDouble();
    double.refuseConnects(2, 429);
    const sink = new RecordingSink();
    const { source, timers } = make(double);
    await source.start(sink.sink);
    await until(() => double!.openStreams() === 1, 'connected after two 429');
    expect(timers.delays.slice(0, 2)).toEqual([X_BACKOFF.rateLimitInitialMs, X_BACKOFF.rateLimitInitialMs * 2]);

    double.push(xPostLine({ id: '1', text: 'one' }));
    await sink.waitFor(1);
    double.refuseConnects(2, 503);
    double.dropAll();
    await until(() => double!.openStreams() === 1, 'reconnected');
    // A drop after data: network kind, counters reset → 250 ms; then two 503: 5 s, 10 s.
    expect(timers.delays.slice(2)).toEqual([X_BACKOFF.networkStepMs, X_BACKOFF.httpInitialMs, X_BACKOFF.httpInitialMs * 2]);
    double.push(xPostLine({ id: '2', text: 'two' }));
    await sink.waitFor(2);
  });

  it('reconnects when neither data nor keep-alive arrives in time', async () => {
    double = await startXDouble();
    const sink = new RecordingSink();
    const { source } = make(double, { stallTimeoutMs: 50 });
    await source.start(sink.sink);
    await until(() => double!.connections.length >= 2, 'reconnected after a stall');
    expect(source.health().lastError).toMatch(/no data or keep-alive/);
  });

  it('syncs rules: adds the translatable watch rules, deletes stale ones of ours, leaves others alone', async () => {
    double = await startXDouble();
    double.rules.push({ id: '1', value: 'old rule', tag: 'vigie:gone' }, { id: '2', value: 'bombe roissy', tag: 'vigie:bomb' }, { id: '3', value: 'someone else', tag: 'marketing' });
    const { source } = make(double, {
      syncRules: true,
      watchRules: () => [
        { id: 'bomb', query: 'bombe AND roissy' },
        { id: 'strike', query: 'grève* ratp' },
        { id: 'delay', query: 'retard OR panne' },
        { id: 'long', query: Array.from({ length: 120 }, (_, i) => `mot${i}`).join(' OR ') },
      ],
    });
    const report = await source.syncRules();
    expect(report.added).toBe(1);
    expect(report.deleted).toBe(1);
    expect(report.skipped.map((s) => s.ruleId).sort()).toEqual(['long', 'strike']);
    expect(double.rules.map((r) => [r.value, r.tag])).toEqual([
      ['bombe roissy', 'vigie:bomb'],
      ['someone else', 'marketing'],
      ['retard OR panne', 'vigie:delay'],
    ]);
    // A second sync has nothing to do.
    const again = await source.syncRules();
    expect([again.added, again.deleted]).toEqual([0, 0]);
  });

  it('replies with the user token only', async () => {
    double = await startXDouble({ userToken: 'user-token' });
    expect(make(double).source.reply).toBeUndefined();
    const { source } = make(double, { userToken: 'user-token' });
    const result = await source.reply!({ inReplyTo: '1800000000000000001', text: 'Bonjour, adressez-vous à votre compagnie.' });
    expect(double.posted).toEqual([{ text: 'Bonjour, adressez-vous à votre compagnie.', reply: { in_reply_to_tweet_id: '1800000000000000001' } }]);
    expect(result.url).toBe(`https://x.com/i/web/status/${result.id}`);
    await expect(source.reply!({ inReplyTo: '1', text: 'x'.repeat(281) })).rejects.toThrow(/at most 280/);
  });
});
