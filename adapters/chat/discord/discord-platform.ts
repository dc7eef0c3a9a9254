import { createHash } from 'node:crypto';
import {
  type APIEmbed,
  type APIMessage,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  type RateLimitData,
  Routes,
} from 'discord.js';
import type { Card, CardOption, Locale, Notice } from '../../../src/chat/card.js';
import type { ChatInbound, ChatPlatform, MessageRef } from '../../../src/chat/port.js';
import { type Clock, systemClock } from '../../../src/core/clock.js';
import type { Logger } from '../../../src/ops/logger.js';
import { type RenderedMessage, renderCard } from './card-embed.js';
import type { DiscordAutocompleteSource } from './commands.js';
import { usableOptions } from './components.js';
import type { DiscordEnv } from './discord-env.js';
import { truncate } from './escape.js';
import { HUMAN_MESSAGE_TYPES, displayName, messageCreateSchema, reactionAddSchema, rawInteractionSchema } from './gateway-events.js';
import { type RawInteraction, createInteractionHandler } from './interactions.js';
import { DiscordLimits } from './limits.js';
import { keyOf } from './message-key.js';
import { messagesFor } from './messages.js';
import { renderNotice } from './notice-embed.js';
import { ReplyDrafts } from './reply-flow.js';
import { THREAD_ALREADY_EXISTS, callDiscord, isDiscordError } from './rest-errors.js';

export const DISCORD_DEFAULTS = {
  /** History pages (100 messages each) `find` reads per channel; see `find` for why it is bounded. */
  findPages: 2,
  findPageSize: 100,
  /** A REST call without an answer after this long is ambiguous (it may have landed). */
  requestTimeoutMs: 10_000,
  /** Rate-limit waits up to this long are absorbed by @discordjs/rest; longer ones go back to the worker. */
  absorbRateLimitMs: 1_000,
  /** A command the core answers within this delay is answered directly (Discord allows 3 s). */
  commandReplyWithinMs: 1_500,
  readyTimeoutMs: 30_000,
  /** Messages whose key, ticket, teams or thread this process remembers. */
  rememberedMessages: 5_000,
  /** Threads on cards stay visible a week after the last note (Discord: 60, 1440, 4320 or 10080 min). */
  threadArchiveMinutes: 10_080,
} as const;

export interface DiscordPlatformOptions {
  env: DiscordEnv;
  logger: Logger;
  /** The server Vigie works in; defaults to DISCORD_GUILD_ID. Interactions from other servers are ignored. */
  guildId?: string;
  /** Locale of the adapter's own answers (invalid click, apology, thread names); cards carry their own. */
  locale?: Locale;
  clock?: Clock;
  /** Choices for `/crisis … id:` (and template / team options); without it, no autocompletion. */
  autocomplete?: DiscordAutocompleteSource;
  /**
   * Ask for the privileged Message Content intent (default true). Without it Discord sends thread
   * messages with empty text, and thread notes are not recorded. It must also be switched on in the
   * Developer Portal, or Discord refuses the connection (close code 4014).
   */
  messageContent?: boolean;
  findPages?: number;
  requestTimeoutMs?: number;
  absorbRateLimitMs?: number;
  commandReplyWithinMs?: number;
  readyTimeoutMs?: number;
}

export interface DiscordPlatform extends ChatPlatform {
  readonly platform: 'discord';
}

/** A bounded map: the oldest entries go first. */
class Recent<V> extends Map<string, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: string, value: V): this {
    this.delete(key);
    super.set(key, value);
    if (this.size > this.max) {
      const oldest = this.keys().next().value;
      if (oldest !== undefined) this.delete(oldest);
    }
    return this;
  }
}

/**
 * A message nonce from the delivery key: with `enforce_nonce`, Discord answers a repeated create
 * within a few minutes with the message already made instead of a second copy.
 */
export function nonceOf(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, DiscordLimits.nonce);
}

/** The Discord chat platform: discord.js over the gateway for input, its REST client for output. */
export function createDiscordPlatform(options: DiscordPlatformOptions): DiscordPlatform {
  const { env, logger } = options;
  const log = logger.child({ platform: 'discord' });
  const clock = options.clock ?? systemClock;
  const locale = options.locale ?? 'fr';
  const m = messagesFor(locale);
  const guildId = options.guildId ?? env.DISCORD_GUILD_ID;
  const findPages = options.findPages ?? DISCORD_DEFAULTS.findPages;
  const absorbMs = options.absorbRateLimitMs ?? DISCORD_DEFAULTS.absorbRateLimitMs;
  const max = DISCORD_DEFAULTS.rememberedMessages;

  const keyOfMessage = new Recent<string>(max);
  const ticketOfMessage = new Recent<number>(max);
  const teamsOfMessage = new Recent<CardOption[]>(max);
  /** Thread id → parent channel id, for the threads this process created or posted in. */
  const threadParent = new Recent<string>(max);
  /** Notice key → thread it was posted to, so `find` looks there even without the parent ref. */
  const threadOfKey = new Recent<{ channel: string; thread: string }>(max);
  const rawInteractions = new Recent<RawInteraction>(500);
  const drafts = new ReplyDrafts(clock);

  let client: Client | null = null;
  let inbound: ChatInbound | null = null;
  let connected = false;
  let lastProblem: string | undefined;

  const rest = () => {
    if (!client) throw new Error('discord: platform not started');
    return client.rest;
  };
  const botId = () => client?.user?.id ?? null;

  const body = (rendered: RenderedMessage) => ({
    embeds: rendered.embeds,
    components: rendered.components,
    // Never ping anyone, whatever the text says (the text is also defused: see escape.ts). The one
    // exception is a configured lead role on an escalation: only those ids are allowed, by id.
    ...(rendered.pingRoles?.length ? { content: rendered.pingRoles.map((id) => `<@&${id}>`).join(' ') } : {}),
    allowed_mentions: { parse: [], ...(rendered.pingRoles?.length ? { roles: rendered.pingRoles } : {}) },
  });

  const create = async (channel: string, rendered: RenderedMessage, key: string): Promise<string> => {
    const message = (await callDiscord('create message', true, () =>
      rest().post(Routes.channelMessages(channel), { body: { ...body(rendered), nonce: nonceOf(key), enforce_nonce: true } }),
    )) as APIMessage;
    keyOfMessage.set(message.id, key);
    return message.id;
  };

  const edit = async (channel: string, messageId: string, rendered: RenderedMessage) => {
    await callDiscord('edit message', false, () => rest().patch(Routes.channelMessage(channel, messageId), { body: body(rendered) }));
  };

  const parentOf = (channelId: string): string | null => {
    const cached = client?.channels.cache.get(channelId);
    if (cached?.isThread()) return cached.parentId;
    return threadParent.get(channelId) ?? null;
  };

  /** The card's thread: known, or created on first use. A thread started from a message has the message's id. */
  const ensureThread = async (card: MessageRef): Promise<string> => {
    const known = card.threadId ?? (threadParent.has(card.messageId) ? card.messageId : null);
    if (known) return known;
    try {
      const ticketId = ticketOfMessage.get(card.messageId) ?? null;
      const thread = (await callDiscord('create thread', false, () =>
        rest().post(Routes.threads(card.channel, card.messageId), {
          body: { name: truncate(m.threadName(ticketId), DiscordLimits.threadName), auto_archive_duration: DISCORD_DEFAULTS.threadArchiveMinutes },
        }),
      )) as { id: string };
      threadParent.set(thread.id, card.channel);
      return thread.id;
    } catch (err) {
      // Created by an earlier attempt whose answer was lost, by another process, or by a person.
      if (!isDiscordError(err, THREAD_ALREADY_EXISTS)) throw err;
      threadParent.set(card.messageId, card.channel);
      return card.messageId;
    }
  };

  const recentMessages = async (channel: string, before?: string): Promise<APIMessage[] | null> => {
    const query = new URLSearchParams({ limit: String(DISCORD_DEFAULTS.findPageSize), ...(before ? { before } : {}) });
    try {
      return (await callDiscord('read history', false, () => rest().get(Routes.channelMessages(channel), { query }))) as APIMessage[];
    } catch (err) {
      // A thread that was never created (the post failed before it) has no history: not an error here.
      if (isDiscordError(err, 10_003)) return null;
      throw err;
    }
  };

  const findIn = async (channel: string, key: string): Promise<string | null> => {
    let before: string | undefined;
    for (let pageIndex = 0; pageIndex < findPages; pageIndex += 1) {
      const messages = await recentMessages(channel, before);
      if (!messages || messages.length === 0) return null;
      const mine = botId();
      const hit = messages.find((msg) => (mine === null || msg.author?.id === mine) && keyOf(msg.embeds as APIEmbed[]) === key);
      if (hit) return hit.id;
      before = messages.at(-1)?.id;
      if (messages.length < DISCORD_DEFAULTS.findPageSize) return null;
    }
    return null;
  };

  // ---- Input from the gateway ----

  const handleInteraction = createInteractionHandler({
    inbound: () => inbound,
    locale,
    logger: log,
    drafts,
    autocomplete: options.autocomplete,
    commandReplyWithinMs: options.commandReplyWithinMs ?? DISCORD_DEFAULTS.commandReplyWithinMs,
    raw: (id) => rawInteractions.get(id),
    teamsOf: async (messageId) => teamsOfMessage.get(messageId) ?? (options.autocomplete ? options.autocomplete.teams() : null),
    parentOf,
  });

  const onRaw = (packet: { t?: string | null; d?: unknown }) => {
    if (packet.t === 'INTERACTION_CREATE') {
      const raw = rawInteractionSchema.safeParse(packet.d);
      if (!raw.success) return;
      const u = raw.data.member?.user ?? raw.data.user;
      rawInteractions.set(raw.data.id, {
        channelId: raw.data.channel?.id ?? raw.data.channel_id ?? null,
        roles: raw.data.member?.roles ?? [],
        name: u ? displayName(u, raw.data.member) : null,
      });
    } else if (packet.t === 'MESSAGE_CREATE') {
      void onMessage(packet.d).catch((err: unknown) => log.error({ err }, 'discord: thread message not recorded'));
    } else if (packet.t === 'MESSAGE_REACTION_ADD') {
      void onReaction(packet.d).catch((err: unknown) => log.error({ err }, 'discord: reaction not handled'));
    }
  };

  const threadParentOf = async (channelId: string): Promise<string | null> => {
    const known = parentOf(channelId);
    if (known) return known;
    const cached = client?.channels.cache.get(channelId);
    if (cached) return null; // a channel we know, and not a thread
    const fetched = await client?.channels.fetch(channelId).catch(() => null);
    return fetched?.isThread() ? fetched.parentId : null;
  };

  const onMessage = async (data: unknown) => {
    const parsed = messageCreateSchema.safeParse(data);
    if (!parsed.success || !inbound) return;
    const msg = parsed.data;
    if (msg.author.bot || msg.webhook_id || msg.author.id === botId() || !HUMAN_MESSAGE_TYPES.has(msg.type)) return;
    if (guildId && msg.guild_id && msg.guild_id !== guildId) return;
    const parent = await threadParentOf(msg.channel_id);
    if (!parent) return;
    if (msg.content.trim() === '') {
      log.debug({ channel: msg.channel_id }, 'discord: thread message without text (Message Content intent off?)');
      return;
    }
    // The thread of a card has the card's id: the ref names the card, which the core looks up.
    const ref: MessageRef = { platform: 'discord', channel: parent, messageId: msg.channel_id, threadId: msg.channel_id };
    await inbound.threadReply(ref, { platform: 'discord', id: msg.author.id, name: displayName(msg.author, msg.member), groups: msg.member?.roles ?? [] }, msg.content);
  };

  const onReaction = async (data: unknown) => {
    const parsed = reactionAddSchema.safeParse(data);
    if (!parsed.success || !inbound) return;
    const r = parsed.data;
    const mine = botId();
    if (r.user_id === mine || r.member?.user?.bot) return;
    if (r.message_author_id !== undefined && r.message_author_id !== mine) return;
    if (guildId && r.guild_id && r.guild_id !== guildId) return;
    const emoji = r.emoji.name;
    if (!emoji) return;
    const parent = parentOf(r.channel_id);
    const ref: MessageRef = parent
      ? { platform: 'discord', channel: parent, messageId: r.message_id, threadId: r.channel_id }
      : { platform: 'discord', channel: r.channel_id, messageId: r.message_id, threadId: null };
    const actor = { platform: 'discord' as const, id: r.user_id, name: r.member?.user ? displayName(r.member.user, r.member) : r.user_id, groups: r.member?.roles ?? [] };
    const result = await inbound.reaction(ref, actor, emoji);
    // Discord has no private message outside an interaction: a refused reaction is only logged.
    if (result && result.status !== 'ok') log.info({ user: r.user_id, emoji, status: result.status }, 'discord: reaction refused');
  };

  const onInteraction = async (interaction: Interaction) => {
    try {
      if (guildId && interaction.guildId && interaction.guildId !== guildId) return;
      await handleInteraction(interaction);
    } finally {
      rawInteractions.delete(interaction.id);
    }
  };

  const platform: DiscordPlatform = {
    platform: 'discord',

    async start(next: ChatInbound) {
      inbound = next;
      const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildMessageReactions];
      if (options.messageContent ?? env.DISCORD_MESSAGE_CONTENT) intents.push(GatewayIntentBits.MessageContent);
      const c = new Client({
        intents,
        allowedMentions: { parse: [] },
        rest: {
          ...(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {}),
          // No retry inside the client: a retried create whose first answer was lost posts twice.
          // The delivery worker retries, after `find` (and the nonce makes a quick repeat harmless).
          retries: 0,
          timeout: options.requestTimeoutMs ?? DISCORD_DEFAULTS.requestTimeoutMs,
          // Short waits are absorbed by @discordjs/rest's buckets; longer ones become a
          // PlatformRateLimitError so the worker pauses the channel instead of holding a job.
          rejectOnRateLimit: (data: RateLimitData) => Math.max(data.retryAfter, data.timeToReset) > absorbMs,
        },
      });
      client = c;
      c.on(Events.Raw, onRaw);
      c.on(Events.InteractionCreate, (interaction) => {
        void onInteraction(interaction).catch((err: unknown) => log.error({ err }, 'discord: interaction failed'));
      });
      c.on(Events.ShardDisconnect, (event) => {
        connected = false;
        lastProblem = `gateway closed (${event.code})`;
      });
      c.on(Events.ShardReady, () => {
        connected = true;
      });
      c.on(Events.ShardResume, () => {
        connected = true;
      });
      c.on(Events.ShardError, (err) => {
        lastProblem = `gateway error: ${err.message}`;
        log.warn({ err }, 'discord: gateway error');
      });
      c.on(Events.Error, (err) => log.error({ err }, 'discord: client error'));

      let timer: NodeJS.Timeout | undefined;
      const ready = new Promise<void>((resolve, reject) => {
        c.once(Events.ClientReady, () => resolve());
        timer = setTimeout(() => reject(new Error('discord: gateway not ready in time')), options.readyTimeoutMs ?? DISCORD_DEFAULTS.readyTimeoutMs);
      });
      try {
        await c.login(env.DISCORD_TOKEN);
        await ready;
      } catch (err) {
        await c.destroy();
        client = null;
        const hint = err instanceof Error && /disallowed intent/i.test(err.message)
          ? ' (switch on the Message Content intent in the Developer Portal, or set DISCORD_MESSAGE_CONTENT=false)'
          : '';
        throw new Error(`discord: could not connect${hint}`, { cause: err });
      } finally {
        clearTimeout(timer);
      }
      connected = true;
      log.info({ user: c.user?.id, guild: guildId ?? null }, 'discord: started');
    },

    async stop() {
      const running = client;
      client = null;
      connected = false;
      inbound = null;
      if (running) {
        running.removeAllListeners();
        await running.destroy();
      }
    },

    async postCard(channel: string, card: Card, key: string) {
      const messageId = await create(channel, renderCard(card, key), key);
      remember(messageId, card);
      return { platform: 'discord', channel, messageId, threadId: null };
    },

    async updateCard(target: MessageRef, card: Card) {
      remember(target.messageId, card);
      await edit(target.channel, target.messageId, renderCard(card, keyOfMessage.get(target.messageId)));
    },

    async postNotice(channel: string, notice: Notice, key: string, thread?: MessageRef) {
      if (!thread) {
        const messageId = await create(channel, renderNotice(notice, { key, locale }), key);
        return { platform: 'discord', channel, messageId, threadId: null };
      }
      const threadId = await ensureThread({ ...thread, channel: thread.channel || channel });
      // Remembered before sending: if the answer is lost, `find` must know which thread to read.
      threadOfKey.set(key, { channel, thread: threadId });
      const messageId = await create(threadId, renderNotice(notice, { key, locale }), key);
      return { platform: 'discord', channel, messageId, threadId };
    },

    async updateNotice(target: MessageRef, notice: Notice) {
      // A thread is a channel: notes are edited there.
      const where = target.threadId ?? target.channel;
      await edit(where, target.messageId, renderNotice(notice, { key: keyOfMessage.get(target.messageId), locale }));
    },

    /**
     * Looks for a message tagged with `key` (embed footer) among the newest messages of the thread it
     * was posted to, then of the channel. Bounded on purpose: the worker only asks right after a failed
     * or ambiguous post, so a post that landed is among the newest; reading history costs one request of
     * the channel's rate-limit bucket per 100 messages, which the real posts need.
     */
    async find(channel: string, key: string, parent?: MessageRef) {
      const remembered = threadOfKey.get(key);
      const thread = parent ? (parent.threadId ?? parent.messageId) : remembered?.channel === channel ? remembered.thread : null;
      if (thread) {
        const hit = await findIn(thread, key);
        if (hit) {
          keyOfMessage.set(hit, key);
          threadParent.set(thread, channel);
          return { platform: 'discord', channel, messageId: hit, threadId: thread };
        }
      }
      const hit = await findIn(channel, key);
      if (!hit) return null;
      keyOfMessage.set(hit, key);
      return { platform: 'discord', channel, messageId: hit, threadId: null };
    },

    health() {
      if (connected) return { ok: true };
      return lastProblem ? { ok: false, detail: lastProblem } : { ok: false, detail: 'not started' };
    },
  };

  function remember(messageId: string, card: Card) {
    ticketOfMessage.set(messageId, card.ticketId);
    // Only cards whose Assign select could not show every team need the full list later ("more…").
    const teams = usableOptions(card.teams);
    if (teams.length > DiscordLimits.selectOptions) teamsOfMessage.set(messageId, teams);
    else teamsOfMessage.delete(messageId);
  }

  return platform;
}
