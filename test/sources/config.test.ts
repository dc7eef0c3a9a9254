import { describe, expect, it } from 'vitest';
import { createSources, parseSourcesConfig, SOURCE_ENV_VARS } from '../../adapters/sources/config.js';
import { isVigieError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/ops/logger.js';
import { MemoryCursorStore } from '../doubles/sources/recording.js';

const deps = (env: NodeJS.ProcessEnv = {}) => ({ env, cursors: new MemoryCursorStore(), logger: silentLogger() });

describe('sources configuration', () => {
  it('fills defaults for every kind', () => {
    const config = parseSourcesConfig([
      { id: 'bsky', kind: 'jetstream' },
      { id: 'masto', kind: 'mastodon', instance: 'https://mastodon.social', streams: ['hashtag:ratp', 'notifications'] },
      { id: 'press', kind: 'rss', feeds: [{ url: 'https://news.example/rss' }] },
      { id: 'x', kind: 'x' },
    ]);
    expect(config[0]).toMatchObject({ enabled: true, url: 'wss://jetstream2.us-east.bsky.network/subscribe', wantedDids: [] });
    expect(config[1]).toMatchObject({ transport: 'websocket', tokenEnv: 'MASTODON_TOKEN', replies: true });
    expect(config[2]).toMatchObject({ feeds: [{ url: 'https://news.example/rss', intervalSeconds: 300 }] });
    expect(config[3]).toMatchObject({ apiUrl: 'https://api.x.com', syncRules: true, tokenEnv: 'X_BEARER_TOKEN' });
  });

  it('names the field and the reason for every problem', () => {
    let message = '';
    try {
      parseSourcesConfig([
        { id: 'a', kind: 'rss', feeds: [{ url: 'ftp://x', intervalSeconds: 5 }] },
        { id: 'a', kind: 'mastodon', instance: 'https://m.example', streams: ['hashtags:oops'] },
        { id: 'b', kind: 'telegram' },
        { id: 'c', kind: 'x', token: 'secret-in-yaml' },
      ]);
    } catch (err) {
      expect(isVigieError(err, 'config_invalid')).toBe(true);
      message = (err as Error).message;
    }
    expect(message).toContain('sources[0].feeds[0].url: an http(s) address');
    expect(message).toContain('sources[0].feeds[0].intervalSeconds: at least 60 seconds');
    expect(message).toContain('sources[1].streams[0]: hashtag:<tag>');
    expect(message).toContain('sources[1].id: "a" is used by another source');
    expect(message).toContain('sources[2].kind: kind must be one of jetstream, mastodon, rss, x');
    expect(message).toMatch(/sources\[3\]: .*token/); // no secrets in the YAML: unknown key
  });

  it('takes secrets from the environment only, and refuses an X source without its token', () => {
    const config = parseSourcesConfig([
      { id: 'bsky', kind: 'jetstream' },
      { id: 'masto', kind: 'mastodon', instance: 'https://m.example', streams: ['public'], tokenEnv: 'MASTODON_TOKEN_CITY' },
      { id: 'off', kind: 'rss', enabled: false, feeds: [{ url: 'https://n.example/rss' }] },
    ]);
    const withoutSecrets = createSources(config, deps());
    expect(withoutSecrets.map((s) => [s.id, s.kind, typeof s.reply])).toEqual([
      ['bsky', 'jetstream', 'undefined'],
      ['masto', 'mastodon', 'undefined'],
    ]);
    const withSecrets = createSources(config, deps({ BLUESKY_HANDLE: 'vigie.bsky.social', BLUESKY_APP_PASSWORD: 'abcd-efgh', MASTODON_TOKEN_CITY: 't' }));
    expect(withSecrets.map((s) => typeof s.reply)).toEqual(['function', 'function']);
    expect(withSecrets.map((s) => s.replyMaxLength)).toEqual([300, 500]);

    const x = parseSourcesConfig([{ id: 'x', kind: 'x' }]);
    expect(() => createSources(x, deps())).toThrow(/X_BEARER_TOKEN/);
    expect(createSources(x, deps({ X_BEARER_TOKEN: 'b' }))[0]!.replyMaxLength).toBe(280);
  });

  it('lists every environment variable it reads', () => {
    expect(SOURCE_ENV_VARS.map((v) => v.name)).toEqual(['BLUESKY_HANDLE', 'BLUESKY_APP_PASSWORD', 'MASTODON_TOKEN', 'X_BEARER_TOKEN', 'X_USER_TOKEN']);
    for (const v of SOURCE_ENV_VARS) expect(v.description.length).toBeGreaterThan(10);
  });
});
