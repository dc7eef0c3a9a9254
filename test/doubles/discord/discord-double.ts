import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachGateway } from './gateway-double.js';
import { createRestHandler } from './rest-double.js';
import { DoubleState, type DoubleUser, type Fault, type InteractionRecord, type Json, type StoredMessage } from './state.js';

export const DOUBLE_USERS = {
  camille: { id: '200000000000000001', username: 'camille', globalName: 'Camille Martin', roles: ['300000000000000001'] },
  hugo: { id: '200000000000000002', username: 'hugo', globalName: 'Hugo Petit', roles: ['300000000000000002'], nick: 'Hugo (terrain)' },
} satisfies Record<string, DoubleUser>;

export const DOUBLE_CHANNELS = { watch: '700000000000000001', crisis: '700000000000000002' } as const;

export interface DiscordDoubleOptions {
  /** Milliseconds since the epoch; drives snowflakes and timestamps. */
  clock?: () => number;
  heartbeatIntervalMs?: number;
  channels?: Record<string, string>;
}

/** Which component of a message: its exact custom id, a prefix test, or any predicate. */
export type ComponentPick = string | RegExp | ((customId: string) => boolean);

export interface InteractionOptions {
  user?: DoubleUser;
  /** Wait for the interaction to be acknowledged (default true). */
  waitForAck?: boolean;
}

export interface DiscordDouble {
  /** REST base to give discord.js (`rest.api`) or DISCORD_API_URL: `http://127.0.0.1:PORT/api`. */
  apiUrl: string;
  state: DoubleState;
  appId: string;
  guildId: string;
  botUserId: string;
  calls: DoubleState['calls'];
  /** Messages of a channel or thread, oldest first, edits applied. */
  messages(channelId: string): StoredMessage[];
  message(id: string): StoredMessage | null;
  answers: DoubleState['answers'];
  /** Scripts a fault for the next matching request (`METHOD /path`). */
  fail(fault: Fault): void;
  gateway: {
    ready(): Promise<void>;
    identify(): Json | null;
    clickButton(messageId: string, pick: ComponentPick, options?: InteractionOptions): Promise<InteractionRecord>;
    selectOption(messageId: string, pick: ComponentPick, value: string, options?: InteractionOptions): Promise<InteractionRecord>;
    /** Submits the modal an interaction was answered with; `values` by text input custom id. */
    submitModal(opened: InteractionRecord, values: Record<string, string>, options?: InteractionOptions): Promise<InteractionRecord>;
    slashCommand(command: string, subcommand: string, options?: Record<string, string | number>, extra?: InteractionOptions & { channel?: string }): Promise<InteractionRecord>;
    /** Resolves with the choices the bot answered. */
    autocomplete(command: string, subcommand: string, options: Record<string, string | number>, focused: string, extra?: InteractionOptions): Promise<Json[]>;
    /** A person writes in a channel or thread. */
    sendMessage(channelId: string, content: string, options?: { user?: DoubleUser }): StoredMessage;
    addReaction(channelId: string, messageId: string, emoji: string, options?: { user?: DoubleUser }): void;
    /** Any interaction, for payloads the bot never rendered (forged or stale custom ids). */
    rawInteraction(type: number, channelId: string, data: Json, options?: InteractionOptions & { messageId?: string }): Promise<InteractionRecord>;
    dispatch(t: string, d: Json): void;
  };
  close(): Promise<void>;
}

export async function startDiscordDouble(options: DiscordDoubleOptions = {}): Promise<DiscordDouble> {
  const clock = options.clock ?? (() => Date.now());
  const state = new DoubleState(clock);
  for (const [name, id] of Object.entries(options.channels ?? DOUBLE_CHANNELS)) state.addChannel(id, name);

  let gatewayUrl = '';
  const server: Server = createServer();
  const gateway = attachGateway(server, state, {
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    guildChannels: () =>
      [...state.channels.values()]
        .filter((c) => c.type === 0)
        .map((c, position) => ({ ...c, guild_id: state.guildId, position, permission_overwrites: [], nsfw: false, topic: null, last_message_id: null, rate_limit_per_user: 0 })),
  });
  const handler = createRestHandler(state, { gatewayUrl: () => gatewayUrl, dispatch: (t, d) => gateway.dispatch(t, d) });
  server.on('request', (req, res) => {
    handler(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 0, message: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  gatewayUrl = `ws://127.0.0.1:${port}`;

  const channelJson = (id: string): Json => {
    const c = state.channels.get(id);
    return c ? { ...c, guild_id: state.guildId } : { id, type: 0, guild_id: state.guildId };
  };

  const interact = async (type: number, channelId: string, data: Json, extra: { message?: StoredMessage | null; user?: DoubleUser; waitForAck?: boolean }): Promise<InteractionRecord> => {
    const user = extra.user ?? DOUBLE_USERS.camille;
    const id = state.snowflake();
    let ack: (type: number) => void = () => {};
    const acked = new Promise<number>((resolve) => {
      ack = resolve;
    });
    const record: InteractionRecord = {
      id,
      token: `token-${id}`,
      type,
      channelId,
      userId: user.id,
      messageId: extra.message?.id ?? null,
      callback: null,
      ephemeral: false,
      originalId: null,
      originalFilled: false,
      modal: null,
      choices: null,
      acked,
      ack,
    };
    state.interactions.set(id, record);
    gateway.dispatch('INTERACTION_CREATE', {
      id,
      application_id: state.appId,
      type,
      token: record.token,
      version: 1,
      guild_id: state.guildId,
      channel_id: channelId,
      channel: channelJson(channelId),
      member: state.memberJson(user),
      data,
      ...(extra.message ? { message: extra.message } : {}),
      app_permissions: '2248473465835073',
      locale: 'fr',
      guild_locale: 'fr',
      entitlements: [],
      authorizing_integration_owners: { '0': state.guildId },
      context: 0,
      attachment_size_limit: 10_485_760,
    });
    if (extra.waitForAck ?? true) await withTimeout(acked, `interaction ${type} ${JSON.stringify(data).slice(0, 80)} acknowledged`);
    return record;
  };

  const componentOf = (message: StoredMessage, pick: ComponentPick, type: number): Json => {
    const matches = (id: string) => (typeof pick === 'string' ? id === pick : pick instanceof RegExp ? pick.test(id) : pick(id));
    for (const row of message.components) {
      for (const c of (row.components as Json[] | undefined) ?? []) {
        if (c.type === type && typeof c.custom_id === 'string' && matches(c.custom_id)) return c;
      }
    }
    throw new Error(`double: message ${message.id} has no component of type ${type} matching ${String(pick)}`);
  };
  const messageOrThrow = (id: string) => {
    const message = state.findMessage(id);
    if (!message) throw new Error(`double: no message ${id}`);
    return message;
  };

  const commandData = (command: string, subcommand: string, options: Record<string, string | number>, focused?: string) => {
    const registered = [...state.commands.values()].flat().find((c) => c.name === command);
    return {
      id: (registered?.id as string | undefined) ?? state.snowflake(),
      name: command,
      type: 1,
      guild_id: state.guildId,
      options: [
        {
          type: 1,
          name: subcommand,
          options: Object.entries(options).map(([name, value]) => ({
            name,
            type: typeof value === 'number' ? 4 : 3,
            value,
            ...(focused === name ? { focused: true } : {}),
          })),
        },
      ],
    };
  };

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    state,
    appId: state.appId,
    guildId: state.guildId,
    botUserId: state.bot.id,
    calls: state.calls,
    answers: state.answers,
    messages: (channelId) => [...(state.messages.get(channelId) ?? [])],
    message: (id) => state.findMessage(id),
    fail: (fault) => state.faults.push(fault),
    gateway: {
      ready: () => gateway.ready(),
      identify: () => gateway.identify,
      async clickButton(messageId, pick, options = {}) {
        const message = messageOrThrow(messageId);
        const button = componentOf(message, pick, 2);
        return interact(3, message.channel_id, { custom_id: button.custom_id, component_type: 2 }, { ...options, message });
      },
      async selectOption(messageId, pick, value, options = {}) {
        const message = messageOrThrow(messageId);
        const select = componentOf(message, pick, 3);
        const offered = ((select.options as Json[] | undefined) ?? []).some((o) => o.value === value);
        if (!offered) throw new Error(`double: select ${String(select.custom_id)} does not offer ${value}`);
        return interact(3, message.channel_id, { custom_id: select.custom_id, component_type: 3, values: [value] }, { ...options, message });
      },
      async submitModal(opened, values, options = {}) {
        const modal = opened.modal;
        if (!modal) throw new Error('double: that interaction was not answered with a modal');
        const components = ((modal.components as Json[] | undefined) ?? []).map((c) => {
          const input = (c.type === 18 ? c.component : ((c.components as Json[] | undefined) ?? [])[0]) as Json;
          const id = String(input.custom_id);
          const value = values[id] ?? (typeof input.value === 'string' ? input.value : '');
          return c.type === 18 ? { type: 18, component: { type: 4, custom_id: id, value } } : { type: 1, components: [{ type: 4, custom_id: id, value }] };
        });
        const message = opened.messageId ? state.findMessage(opened.messageId) : null;
        return interact(5, opened.channelId, { custom_id: modal.custom_id, components }, { ...options, message });
      },
      async slashCommand(command, subcommand, options = {}, extra = {}) {
        return interact(2, extra.channel ?? DOUBLE_CHANNELS.watch, commandData(command, subcommand, options), extra);
      },
      async autocomplete(command, subcommand, options, focused, extra = {}) {
        const record = await interact(4, DOUBLE_CHANNELS.watch, commandData(command, subcommand, options, focused), extra);
        return record.choices ?? [];
      },
      sendMessage(channelId, content, options = {}) {
        const user = options.user ?? DOUBLE_USERS.camille;
        const message = state.createMessage(channelId, { content }, user);
        gateway.dispatch('MESSAGE_CREATE', { ...message, guild_id: state.guildId, member: { ...state.memberJson(user), user: undefined } });
        return message;
      },
      addReaction(channelId, messageId, emoji, options = {}) {
        const user = options.user ?? DOUBLE_USERS.camille;
        const message = state.findMessage(messageId);
        gateway.dispatch('MESSAGE_REACTION_ADD', {
          user_id: user.id,
          channel_id: channelId,
          message_id: messageId,
          guild_id: state.guildId,
          member: state.memberJson(user),
          emoji: { id: null, name: emoji },
          burst: false,
          type: 0,
          ...(message ? { message_author_id: (message.author as { id: string }).id } : {}),
        });
      },
      rawInteraction: (type, channelId, data, options = {}) =>
        interact(type, channelId, data, { ...options, message: options.messageId ? state.findMessage(options.messageId) : null }),
      dispatch: (t, d) => gateway.dispatch(t, d),
    },
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function withTimeout<T>(promise: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`double: timed out waiting for ${what}`)), ms);
    }),
  ]);
}
