import { z } from 'zod';
import type { Clock } from '../../src/core/clock.js';
import { ErrorCode, VigieError } from '../../src/core/errors.js';
import { describeIssue } from '../../src/core/zod-issues.js';
import type { Logger } from '../../src/ops/logger.js';
import type { CursorStore, Source } from '../../src/sources/port.js';
import { JETSTREAM_DEFAULTS, JetstreamSource } from './jetstream/jetstream-source.js';
import { MastodonSource } from './mastodon/mastodon-source.js';
import { parseStream } from './mastodon/streams.js';
import type { BackoffPolicy } from './runtime/backoff.js';
import type { SourceTimers } from './runtime/timers.js';
import type { WebSocketClass } from './runtime/ws.js';
import { RSS_DEFAULTS, RssSource } from './rss/rss-source.js';
import { X_DEFAULTS, type WatchRuleQuery, XSource } from './x/x-source.js';

/** Every environment variable the sources read (secrets never live in the YAML file). */
export const SOURCE_ENV_VARS = [
  { name: 'BLUESKY_HANDLE', description: 'Bluesky handle (or DID) that posts replies; with BLUESKY_APP_PASSWORD, enables Bluesky replies.' },
  { name: 'BLUESKY_APP_PASSWORD', description: 'App password of that Bluesky account (Settings → App passwords), never the main password.' },
  { name: 'MASTODON_TOKEN', description: 'Mastodon access token (read:statuses, read:notifications; write:statuses to reply); another variable per source with tokenEnv.' },
  { name: 'X_BEARER_TOKEN', description: 'X API v2 app bearer token for the filtered stream and its rules; another variable per source with tokenEnv.' },
  { name: 'X_USER_TOKEN', description: 'Optional X OAuth 2.0 user token with tweet.write, to post replies (an app bearer token cannot); another with userTokenEnv.' },
] as const;

const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name in capitals, e.g. MASTODON_TOKEN_CITY')
  .max(100);

const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) address' }).max(2_000);
const wsUrl = z.url({ protocol: /^wss?$/, error: 'a ws:// or wss:// address' }).max(2_000);

const base = {
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,59}$/i, 'letters, digits, "-" or "_" (at most 60), e.g. bluesky-main'),
  enabled: z.boolean().default(true),
  /** Which of our watched accounts everything from this source concerns (optional). */
  account: z.string().min(1).max(200).optional(),
};

const jetstreamSchema = z.strictObject({
  ...base,
  kind: z.literal('jetstream'),
  url: wsUrl.default(JETSTREAM_DEFAULTS.url),
  wantedDids: z
    .array(z.string().regex(/^did:[a-z]+:[A-Za-z0-9._:%-]+$/, 'a DID, e.g. did:plc:abc123'))
    .max(10_000, 'Jetstream takes at most 10 000 DIDs')
    .default([]),
  replies: z
    .strictObject({
      serviceUrl: httpUrl.default('https://bsky.social'),
      handleEnv: envName.default('BLUESKY_HANDLE'),
      passwordEnv: envName.default('BLUESKY_APP_PASSWORD'),
    })
    .default({ serviceUrl: 'https://bsky.social', handleEnv: 'BLUESKY_HANDLE', passwordEnv: 'BLUESKY_APP_PASSWORD' }),
});

const mastodonSchema = z.strictObject({
  ...base,
  kind: z.literal('mastodon'),
  instance: httpUrl,
  streamingUrl: z.url({ protocol: /^(https?|wss?)$/ }).optional(),
  streams: z
    .array(z.string().refine((s) => parseStream(s) !== null, 'hashtag:<tag>, hashtag:local:<tag>, public, public:local or notifications'))
    .min(1, 'at least one stream'),
  transport: z.enum(['websocket', 'sse']).default('websocket'),
  tokenEnv: envName.default('MASTODON_TOKEN'),
  replies: z.boolean().default(true),
});

const rssSchema = z.strictObject({
  ...base,
  kind: z.literal('rss'),
  feeds: z
    .array(
      z.strictObject({
        url: httpUrl,
        intervalSeconds: z.number().int().min(60, 'at least 60 seconds: be kind to the sites').max(86_400).default(RSS_DEFAULTS.intervalSeconds),
        account: z.string().min(1).max(200).optional(),
      }),
    )
    .min(1, 'at least one feed'),
});

const xSchema = z.strictObject({
  ...base,
  kind: z.literal('x'),
  apiUrl: httpUrl.default(X_DEFAULTS.apiUrl),
  syncRules: z.boolean().default(true),
  extraRules: z.array(z.strictObject({ value: z.string().min(1).max(1_024), tag: z.string().regex(/^[\w.-]{1,40}$/) })).default([]),
  maxRuleLength: z.number().int().min(64).max(4_096).default(X_DEFAULTS.maxRuleLength),
  tokenEnv: envName.default('X_BEARER_TOKEN'),
  userTokenEnv: envName.default('X_USER_TOKEN'),
});

const sourceSchema = z.discriminatedUnion('kind', [jetstreamSchema, mastodonSchema, rssSchema, xSchema], {
  error: 'kind must be one of jetstream, mastodon, rss, x',
});

/** The `sources:` key of the organisation's configuration. */
export const sourcesConfigSchema = z.array(sourceSchema).superRefine((sources, ctx) => {
  const seen = new Set<string>();
  sources.forEach((s, i) => {
    if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${s.id}" is used by another source; ids must be unique` });
    seen.add(s.id);
  });
});

export type SourcesConfig = z.output<typeof sourcesConfigSchema>;
export type SourceConfig = SourcesConfig[number];

/** Validates the `sources:` list; a coded error lists every problem as `sources[1].feeds[0].url: …`. */
export function parseSourcesConfig(input: unknown): SourcesConfig {
  const parsed = sourcesConfigSchema.safeParse(input ?? []);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const described = describeIssue(issue);
    return `sources${described.startsWith('(root)') ? described.slice('(root)'.length) : described}`;
  });
  // zod skips the uniqueness check while an entry is invalid; report duplicates anyway, all at once.
  if (Array.isArray(input)) {
    const seen = new Set<unknown>();
    input.forEach((entry, i) => {
      const id = (entry as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') return;
      const line = `sources[${i}].id: "${id}" is used by another source; ids must be unique`;
      if (seen.has(id) && !lines.includes(line)) lines.push(line);
      seen.add(id);
    });
  }
  throw new VigieError(ErrorCode.ConfigInvalid, `invalid sources configuration:\n  ${lines.join('\n  ')}`);
}

export interface SourcesDeps {
  env: NodeJS.ProcessEnv;
  cursors: CursorStore;
  logger: Logger;
  fetch?: typeof fetch;
  WebSocket?: WebSocketClass;
  clock?: Clock;
  /** The watch rules, read when the X rules are synced (at start, and on `XSource.syncRules()`). */
  watchRules?: () => readonly WatchRuleQuery[];
  timers?: SourceTimers;
  random?: () => number;
  backoff?: BackoffPolicy;
}

const secret = (env: NodeJS.ProcessEnv, name: string): string | null => {
  const v = env[name]?.trim();
  return v ? v : null;
};

/** Builds the enabled sources; nothing connects before `start()`. */
export function createSources(config: SourcesConfig, deps: SourcesDeps): Source[] {
  const runtime = {
    logger: deps.logger,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.timers ? { timers: deps.timers } : {}),
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.backoff ? { backoff: deps.backoff } : {}),
  };
  const sources: Source[] = [];
  for (const c of config) {
    if (!c.enabled) continue;
    const logger = deps.logger.child({ source: c.id, kind: c.kind });
    switch (c.kind) {
      case 'jetstream': {
        const identifier = secret(deps.env, c.replies.handleEnv);
        const appPassword = secret(deps.env, c.replies.passwordEnv);
        if (!identifier || !appPassword) logger.info(`no ${c.replies.handleEnv} / ${c.replies.passwordEnv}: Bluesky replies are off`);
        sources.push(
          new JetstreamSource(
            {
              id: c.id,
              url: c.url,
              wantedDids: c.wantedDids,
              account: c.account ?? null,
              cursors: deps.cursors,
              ...(identifier && appPassword ? { reply: { serviceUrl: c.replies.serviceUrl, identifier, appPassword, ...(deps.fetch ? { fetch: deps.fetch } : {}) } } : {}),
            },
            { ...runtime, logger, ...(deps.WebSocket ? { WebSocket: deps.WebSocket } : {}) },
          ),
        );
        break;
      }
      case 'mastodon': {
        const token = secret(deps.env, c.tokenEnv);
        // Since Mastodon 4.2 public and hashtag streams need a token too; some instances still allow them.
        if (!token) logger.warn(`${c.tokenEnv} is not set: most instances refuse streams without a token, and replies are off`);
        sources.push(
          new MastodonSource(
            {
              id: c.id,
              instanceUrl: c.instance,
              ...(c.streamingUrl ? { streamingUrl: c.streamingUrl } : {}),
              streams: c.streams.map((s) => parseStream(s)!),
              token,
              transport: c.transport,
              account: c.account ?? null,
              cursors: deps.cursors,
              replies: c.replies,
            },
            { ...runtime, logger, ...(deps.WebSocket ? { WebSocket: deps.WebSocket } : {}), ...(deps.fetch ? { fetch: deps.fetch } : {}) },
          ),
        );
        break;
      }
      case 'rss':
        sources.push(
          new RssSource(
            {
              id: c.id,
              feeds: c.feeds.map((f) => ({ url: f.url, intervalSeconds: f.intervalSeconds, account: f.account ?? c.account ?? null })),
              cursors: deps.cursors,
            },
            { ...runtime, logger, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
          ),
        );
        break;
      case 'x': {
        const bearerToken = secret(deps.env, c.tokenEnv);
        if (!bearerToken) throw new VigieError(ErrorCode.ConfigInvalid, `source "${c.id}" (x) needs the environment variable ${c.tokenEnv} (an X API bearer token)`);
        sources.push(
          new XSource(
            {
              id: c.id,
              apiUrl: c.apiUrl,
              bearerToken,
              userToken: secret(deps.env, c.userTokenEnv),
              syncRules: c.syncRules,
              extraRules: c.extraRules,
              maxRuleLength: c.maxRuleLength,
              account: c.account ?? null,
              ...(deps.watchRules ? { watchRules: deps.watchRules } : {}),
            },
            { ...runtime, logger, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
          ),
        );
        break;
      }
    }
  }
  return sources;
}
