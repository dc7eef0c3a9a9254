import { describe, expect, it } from 'vitest';
import { describeSourceNotice, formatSourcesStatus, SourceDownReporter } from '../../adapters/sources/status.js';
import type { SourceHealth } from '../../src/sources/port.js';

const T = (min: number) => new Date(Date.UTC(2026, 10, 28, 8, min));
const h = (id: string, connected: boolean, extra: Partial<SourceHealth> = {}): SourceHealth => ({
  id,
  kind: 'jetstream',
  connected,
  lastEventAt: null,
  lagMs: null,
  errors: 0,
  lastError: null,
  ...extra,
});

describe('sources status', () => {
  it('shows state, last event, lag and errors in columns, and the last errors', () => {
    const text = formatSourcesStatus(
      [h('bsky', true, { lastEventAt: T(0), lagMs: 1_250, errors: 2 }), h('press', false, { kind: 'rss', errors: 5, lastError: 'https://n.example/rss: HTTP 503' })],
      new Date(T(0).getTime() + 42_000),
    );
    expect(text.split('\n')).toEqual([
      'SOURCE  KIND       STATE  LAST EVENT                          LAG    ERRORS',
      'bsky    jetstream  up     2026-11-28T08:00:00.000Z (42s ago)  1.3 s  2',
      'press   rss        DOWN   never                               -      5',
      '',
      'Last errors:',
      '  press: https://n.example/rss: HTTP 503',
    ]);
  });

  it('reports a source down past the threshold once, then its recovery once', () => {
    const reporter = new SourceDownReporter({ downAfterMs: 5 * 60_000 });
    expect(reporter.observe([h('bsky', true)], T(0))).toEqual([]);
    expect(reporter.observe([h('bsky', false, { lastError: 'HTTP 502 on connect' })], T(1))).toEqual([]);
    expect(reporter.observe([h('bsky', false)], T(5))).toEqual([]);
    const down = reporter.observe([h('bsky', false, { lastError: 'HTTP 502 on connect' })], T(6));
    expect(down).toEqual([{ type: 'down', id: 'bsky', kind: 'jetstream', downSince: T(1), downForMs: 5 * 60_000, lastError: 'HTTP 502 on connect' }]);
    expect(describeSourceNotice(down[0]!)).toBe('Source bsky (jetstream) has been down for 5 min: HTTP 502 on connect. Mentions from it are not arriving.');
    expect(reporter.observe([h('bsky', false)], T(7))).toEqual([]);
    expect(reporter.observe([h('bsky', false)], T(30))).toEqual([]);
    const up = reporter.observe([h('bsky', true)], T(31));
    expect(up).toMatchObject([{ type: 'recovered', id: 'bsky', downForMs: 30 * 60_000 }]);
    expect(reporter.observe([h('bsky', true)], T(32))).toEqual([]);
  });

  it('says nothing about a short blip', () => {
    const reporter = new SourceDownReporter({ downAfterMs: 5 * 60_000 });
    reporter.observe([h('bsky', false)], T(0));
    expect(reporter.observe([h('bsky', true)], T(2))).toEqual([]);
    expect(reporter.observe([h('bsky', false)], T(3))).toEqual([]);
    expect(reporter.observe([h('bsky', false)], T(7))).toEqual([]); // down since T(3) only
  });
});
