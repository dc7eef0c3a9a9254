import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import type { DoubleState, Json } from './state.js';

/**
 * The gateway half of the Discord double: HELLO (op 10), IDENTIFY (op 2) answered with READY and a
 * GUILD_CREATE for the guild, heartbeats (op 1) acknowledged (op 11), and dispatches (op 0) pushed by
 * the test. Plain JSON frames: discord.js connects with `encoding=json` when zlib-sync is absent.
 */
export interface GatewayDouble {
  /** Resolves once a client has identified and received READY. */
  ready(): Promise<void>;
  dispatch(t: string, d: Json): void;
  /** What the client sent in IDENTIFY (token, intents…), last one. */
  identify: Json | null;
  close(): Promise<void>;
}

export function attachGateway(server: Server, state: DoubleState, options: { heartbeatIntervalMs: number; guildChannels: () => Json[] }): GatewayDouble {
  const wss = new WebSocketServer({ server });
  const sockets = new Set<WebSocket>();
  const identified = new Set<WebSocket>();
  let seq = 0;
  let readyWaiters: Array<() => void> = [];

  const send = (ws: WebSocket, payload: Json) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  };
  const dispatchTo = (ws: WebSocket, t: string, d: Json) => {
    seq += 1;
    send(ws, { op: 0, t, s: seq, d });
  };

  const gateway: GatewayDouble = {
    identify: null,
    ready: () =>
      identified.size > 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            readyWaiters.push(resolve);
          }),
    dispatch(t, d) {
      for (const ws of identified) dispatchTo(ws, t, d);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };

  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => {
      sockets.delete(ws);
      identified.delete(ws);
    });
    send(ws, { op: 10, d: { heartbeat_interval: options.heartbeatIntervalMs } });
    ws.on('message', (data) => {
      let frame: { op?: number; d?: unknown };
      try {
        frame = JSON.parse(String(data)) as { op?: number; d?: unknown };
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      if (frame.op === 1) send(ws, { op: 11 });
      else if (frame.op === 2) {
        gateway.identify = (frame.d ?? null) as Json | null;
        const origin = `ws://127.0.0.1:${(server.address() as { port: number }).port}`;
        dispatchTo(ws, 'READY', {
          v: 10,
          user: { ...state.userJson(state.bot), verified: true, mfa_enabled: false, flags: 0 },
          guilds: [{ id: state.guildId, unavailable: true }],
          session_id: `session-${state.snowflake()}`,
          resume_gateway_url: origin,
          shard: [0, 1],
          application: { id: state.appId, flags: 0 },
          private_channels: [],
          presences: [],
          relationships: [],
          guild_join_requests: [],
          user_settings: {},
          geo_ordered_rtc_regions: [],
        });
        dispatchTo(ws, 'GUILD_CREATE', guildJson(state, options.guildChannels()));
        identified.add(ws);
        const waiters = readyWaiters;
        readyWaiters = [];
        for (const resolve of waiters) resolve();
      } else if (frame.op === 6) {
        // Resume: replay nothing, just confirm.
        identified.add(ws);
        dispatchTo(ws, 'RESUMED', {});
      }
    });
  });
  return gateway;
}

function guildJson(state: DoubleState, channels: Json[]): Json {
  return {
    id: state.guildId,
    name: 'Lutèce',
    icon: null,
    owner_id: '100000000000000009',
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    mfa_level: 0,
    premium_tier: 0,
    nsfw_level: 0,
    system_channel_flags: 0,
    features: [],
    preferred_locale: 'fr',
    roles: [{ id: state.guildId, name: '@everyone', permissions: '1024', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
    emojis: [],
    stickers: [],
    channels,
    threads: [],
    members: [state.memberJson(state.bot)],
    member_count: 2,
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    large: false,
    unavailable: false,
    joined_at: '2026-01-01T00:00:00.000Z',
    premium_progress_bar_enabled: false,
  };
}
