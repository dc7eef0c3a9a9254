import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, HTTPReceiverDeferredRequestError, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Card, Locale, Notice } from '../../../src/chat/card.js';
import type { ChatInbound, ChatPlatform, MessageRef } from '../../../src/chat/port.js';
import { type Clock, systemClock } from '../../../src/core/clock.js';
import type { Logger } from '../../../src/ops/logger.js';
import { boltLogger } from './bolt-logger.js';
import { renderCard } from './card-blocks.js';
import { registerInteractions } from './interactions.js';
import { renderNotice } from './notice-blocks.js';
import type { SlackEnv } from './slack-env.js';
import { UserGroupCache } from './user-groups.js';
import { callSlack } from './web-errors.js';

export const SLACK_DEFAULTS = {
  /** History pages (100 messages each) `find` scans; see `find` for why it is bounded. */
  findPages: 3,
  findPageSize: 100,
  groupCacheMs: 300_000, // 5 min
  /** A Web API call without an answer after this long is ambiguous (it may have landed). */
  requestTimeoutMs: 10_000,
  submitPreviewTimeoutMs: 2_000,
  /** Keys of recent thread posts remembered so `find` can look in the right thread. */
  rememberedThreads: 2_000,
  metadataEventType: 'vigie_card',
} as const;

export interface SlackPlatformOptions {
  env: SlackEnv;
  logger: Logger;
  /** Locale of the adapter's own answers (invalid click, apology…); cards carry their own. */
  locale?: Locale;
  clock?: Clock;
  findPages?: number;
  groupCacheMs?: number;
  requestTimeoutMs?: number;
}

export interface SlackPlatform extends ChatPlatform {
  readonly platform: 'slack';
  /**
   * HTTP mode only: the request listener to mount on `POST /slack/events` of the application's own
   * server (answers 503 until `start`). Null in Socket Mode.
   */
  readonly httpHandler: ((req: IncomingMessage, res: ServerResponse) => void) | null;
}

/** The Slack chat platform: Bolt for input (Socket Mode or HTTP), the Web API for output. */
export function createSlackPlatform(options: SlackPlatformOptions): SlackPlatform {
  const { env, logger } = options;
  const log = logger.child({ platform: 'slack' });
  const clock = options.clock ?? systemClock;
  const findPages = options.findPages ?? SLACK_DEFAULTS.findPages;
  const clientOptions = {
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    // No retry inside the SDK: a retried chat.postMessage whose first answer was lost posts a second
    // copy. The delivery worker retries, after `find` (web-api's makeRequest wraps every call in
    // p-retry with this config; rejectRateLimitedCalls throws WebAPIRateLimitedError on 429).
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.requestTimeoutMs ?? SLACK_DEFAULTS.requestTimeoutMs,
    logger: boltLogger(log),
  };
  // Constructing a WebClient does no I/O; calls happen from start() on.
  const client = new webApi.WebClient(env.SLACK_BOT_TOKEN, clientOptions);
  const groups = new UserGroupCache(client, { ttlMs: options.groupCacheMs ?? SLACK_DEFAULTS.groupCacheMs, clock, logger: log });
  const threadOfKey = new Map<string, { channel: string; threadTs: string }>();

  let app: App | null = null;
  let httpReceiver: HTTPReceiver | null = null;
  let inbound: ChatInbound | null = null;
  let connected = false;
  let lastProblem: string | undefined;

  const ref = (channel: string, ts: string, threadTs?: string): MessageRef => ({ platform: 'slack', channel, messageId: ts, threadId: threadTs ?? ts });

  const post = async (channel: string, rendered: { text: string; blocks: unknown[] }, key: string, threadTs?: string) => {
    const result = await callSlack('chat.postMessage', () =>
      client.chat.postMessage({
        channel,
        text: rendered.text,
        blocks: rendered.blocks as never,
        metadata: { event_type: SLACK_DEFAULTS.metadataEventType, event_payload: { key } },
        unfurl_links: false,
        unfurl_media: false,
        // Never turn "@channel" or names typed by strangers into mentions.
        link_names: false,
        parse: 'none',
        ...(threadTs ? { thread_ts: threadTs } : {}),
      }),
    );
    if (!result.ts) throw new Error('slack chat.postMessage: answer without ts');
    return result.ts;
  };

  const update = async (target: MessageRef, rendered: { text: string; blocks: unknown[] }) => {
    await callSlack('chat.update', () =>
      client.chat.update({ channel: target.channel, ts: target.messageId, text: rendered.text, blocks: rendered.blocks as never, link_names: false, parse: 'none' }),
    );
  };

  const keyOf = (message: { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }) =>
    message.metadata?.event_type === SLACK_DEFAULTS.metadataEventType ? message.metadata.event_payload?.key : undefined;

  const platform: SlackPlatform = {
    platform: 'slack',
    httpHandler:
      env.SLACK_MODE === 'http'
        ? (req, res) => {
            if (!httpReceiver) {
              res.writeHead(503, { 'content-type': 'text/plain' }).end('not started');
              return;
            }
            try {
              httpReceiver.requestListener(req, res);
            } catch (err) {
              // The receiver throws this for paths it does not own; the app mounts us on one path only.
              if (err instanceof HTTPReceiverDeferredRequestError) res.writeHead(404).end();
              else {
                log.error({ err }, 'slack: HTTP request failed');
                if (!res.headersSent) res.writeHead(500).end();
              }
            }
          }
        : null,

    async start(next: ChatInbound) {
      inbound = next;
      // One auth.test at start; Bolt then gets botId/botUserId and never calls it per request.
      const auth = await callSlack('auth.test', () => client.auth.test());
      if (!auth.user_id || !auth.bot_id) throw new Error('slack auth.test: the token is not a bot token (no bot_id)');
      const receiver =
        env.SLACK_MODE === 'http'
          ? new HTTPReceiver({ signingSecret: env.SLACK_SIGNING_SECRET ?? '', endpoints: '/slack/events', logger: boltLogger(log) })
          : new SocketModeReceiver({
              appToken: env.SLACK_APP_TOKEN ?? '',
              logger: boltLogger(log),
              installerOptions: { clientOptions: env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {} },
            });
      app = new App({
        token: env.SLACK_BOT_TOKEN,
        botId: auth.bot_id,
        botUserId: auth.user_id,
        receiver,
        logger: boltLogger(log),
        clientOptions,
      });
      registerInteractions(app, {
        inbound: () => inbound,
        groupsOf: (userId) => groups.groupsOf(userId),
        botUserId: auth.user_id,
        locale: options.locale ?? 'fr',
        logger: log,
        submitPreviewTimeoutMs: SLACK_DEFAULTS.submitPreviewTimeoutMs,
      });
      if (receiver instanceof SocketModeReceiver) {
        receiver.client.on('connected', () => {
          connected = true;
        });
        receiver.client.on('disconnected', () => {
          connected = false;
          lastProblem = 'socket mode disconnected';
        });
        await app.start();
      } else {
        // No app.start(): it would open a second HTTP port; the application's server calls httpHandler.
        httpReceiver = receiver;
      }
      connected = true;
      log.info({ mode: env.SLACK_MODE, botUserId: auth.user_id }, 'slack: started');
    },

    async stop() {
      const running = app;
      app = null;
      httpReceiver = null;
      connected = false;
      if (running && env.SLACK_MODE === 'socket') await running.stop();
    },

    async postCard(channel: string, card: Card, key: string) {
      return ref(channel, await post(channel, renderCard(card), key));
    },

    async updateCard(target: MessageRef, card: Card) {
      await update(target, renderCard(card));
    },

    async postNotice(channel: string, notice: Notice, key: string, thread?: MessageRef) {
      const threadTs = thread ? (thread.threadId ?? thread.messageId) : undefined;
      if (threadTs) {
        // Remembered before sending: if the answer is lost, `find` must know which thread to read.
        threadOfKey.set(key, { channel, threadTs });
        if (threadOfKey.size > SLACK_DEFAULTS.rememberedThreads) {
          const oldest = threadOfKey.keys().next().value;
          if (oldest !== undefined) threadOfKey.delete(oldest);
        }
      }
      return ref(channel, await post(channel, renderNotice(notice), key, threadTs), threadTs);
    },

    async updateNotice(target: MessageRef, notice: Notice) {
      await update(target, renderNotice(notice));
    },

    /**
     * Looks for a message tagged with `key` among the channel's most recent messages (and in the
     * thread it was posted to, when this process remembers one). Bounded on purpose: the worker only
     * asks right after an ambiguous failure, so a post that landed is among the newest messages, and
     * conversations.history is Tier 3 (≈50/min, and 1/min for non-Marketplace distributed apps):
     * scanning deep would spend the budget the real posts need.
     */
    async find(channel: string, key: string, parent?: MessageRef) {
      const thread = parent ? { channel, threadTs: parent.threadId ?? parent.messageId } : threadOfKey.get(key);
      if (thread && thread.channel === channel) {
        const replies = await callSlack('conversations.replies', () =>
          client.conversations.replies({ channel, ts: thread.threadTs, include_all_metadata: true, limit: SLACK_DEFAULTS.findPageSize }),
        );
        const hit = (replies.messages ?? []).find((msg) => msg.ts !== thread.threadTs && keyOf(msg as never) === key);
        if (hit?.ts) return ref(channel, hit.ts, thread.threadTs);
      }
      let cursor: string | undefined;
      for (let page = 0; page < findPages; page += 1) {
        const history = await callSlack('conversations.history', () =>
          client.conversations.history({
            channel,
            include_all_metadata: true,
            limit: SLACK_DEFAULTS.findPageSize,
            ...(cursor ? { cursor } : {}),
          }),
        );
        const hit = (history.messages ?? []).find((msg) => keyOf(msg as never) === key);
        if (hit?.ts) return ref(channel, hit.ts, hit.thread_ts ?? hit.ts);
        cursor = history.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return null;
    },

    health() {
      if (connected) return { ok: true };
      return lastProblem ? { ok: false, detail: lastProblem } : { ok: false, detail: 'not started' };
    },
  };
  return platform;
}
