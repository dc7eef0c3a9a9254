import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackPlatform, type SlackPlatform } from '../../../adapters/chat/slack/slack-platform.js';
import { ActionId } from '../../../adapters/chat/slack/action-ids.js';
import type { MessageRef } from '../../../src/chat/port.js';
import { silentLogger } from '../../../src/ops/logger.js';
import type { CardActionName, ChatHarness } from '../contract.js';
import { RecordingInbound } from '../recording-inbound.js';
import {
  type SlackDouble,
  type SlackDoubleOptions,
  type StoredMessage,
  blockKitViolations,
  messageAction,
  sendSignedRequest,
  slackWouldPing,
  slashCommand,
  startSlackDouble,
  type SocketAck,
} from '../../doubles/slack/index.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const CHANNEL = 'C0VEILLE';

export interface SlackHarness extends ChatHarness {
  platform: SlackPlatform;
  double: SlackDouble;
  mode: 'socket' | 'http';
  /** Delivers an interaction payload the way the mode does; resolves with Slack's view of the ack. */
  interact(payload: Record<string, unknown>): Promise<{ status: number; payload: Record<string, unknown> | undefined }>;
  event(event: Record<string, unknown>): Promise<void>;
  command(fields: Record<string, string>): Promise<void>;
  /** URL of the app's own HTTP server (HTTP mode). */
  eventsUrl: string | null;
}

/** Flattens every `text` of a payload: what a reader can see, escapes included. */
export function flattenText(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [key, inner] of Object.entries(v)) {
        if (key === 'text' && typeof inner === 'string') out.push(inner);
        else walk(inner);
      }
    }
  };
  walk(value);
  return out.join('\n');
}

const ACTION_IDS: Record<CardActionName, string> = {
  assign: ActionId.assign,
  ignore: ActionId.ignore,
  author: ActionId.author,
  reopen: ActionId.reopen,
  resolve: ActionId.resolve,
};

export async function startSlackHarness(mode: 'socket' | 'http', doubleOptions: SlackDoubleOptions = {}): Promise<SlackHarness> {
  // Each clock reading is 1.1 s after the last, so back-to-back posts respect the 1/s rule unless a
  // test freezes the clock on purpose.
  let now = Date.UTC(2026, 10, 28, 8, 0, 0);
  const double = await startSlackDouble({ clock: () => (now += 1_100), ...doubleOptions });
  const platform = createSlackPlatform({
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_APP_TOKEN: 'xapp-test-token',
      SLACK_MODE: mode,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: double.apiUrl,
    },
    logger: silentLogger(),
    locale: 'en',
  });
  let server: Server | null = null;
  let eventsUrl: string | null = null;
  if (mode === 'http') {
    const handler = platform.httpHandler;
    if (!handler) throw new Error('HTTP mode without httpHandler');
    // Stands for the application's own server, which owns the port and mounts the handler.
    server = createServer((req, res) => {
      if (req.url?.startsWith('/slack/events')) handler(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  }
  const inbound = new RecordingInbound();
  await platform.start(inbound);
  if (mode === 'socket') await double.socket.connected();

  const fromAck = (ack: SocketAck) => ({ status: 200, payload: ack.payload && Object.keys(ack.payload).length > 0 ? ack.payload : undefined });
  const fromHttp = (r: { status: number; body: string }) => ({ status: r.status, payload: r.body ? (JSON.parse(r.body) as Record<string, unknown>) : undefined });

  const h: SlackHarness = {
    platform,
    double,
    mode,
    inbound,
    channel: CHANNEL,
    eventsUrl,
    async interact(payload) {
      if (mode === 'socket') return fromAck(await double.socket.sendBlockAction(payload));
      return fromHttp(await sendSignedRequest(eventsUrl ?? '', { kind: 'interaction', payload }, { secret: SIGNING_SECRET }));
    },
    async event(event) {
      if (mode === 'socket') {
        await double.socket.sendEvent(event);
        return;
      }
      const { eventCallback } = await import('../../doubles/slack/socket-double.js');
      const r = await sendSignedRequest(eventsUrl ?? '', { kind: 'event', body: eventCallback(event, double.teamId, double.botUserId) }, { secret: SIGNING_SECRET });
      if (r.status !== 200) throw new Error(`event refused: ${r.status}`);
    },
    async command(fields) {
      if (mode === 'socket') await double.socket.sendSlashCommand(fields);
      else {
        const r = await sendSignedRequest(eventsUrl ?? '', { kind: 'command', fields }, { secret: SIGNING_SECRET });
        if (r.status !== 200) throw new Error(`command refused: ${r.status}`);
      }
    },
    async messages() {
      return double.messages(CHANNEL).map((m: StoredMessage) => ({
        messageId: m.ts,
        threadId: m.thread_ts ?? null,
        text: [m.text, flattenText(m.blocks)].join('\n'),
      }));
    },
    async answers() {
      return [
        ...double.responses.map((r) => ({ visibility: r.body.response_type === 'in_channel' ? ('channel' as const) : ('private' as const), text: flattenText(r.body) })),
        ...double.ephemerals.map((e) => ({ visibility: 'private' as const, text: e.text })),
      ];
    },
    async rawPayloads() {
      const sent = double.calls.filter((c) => ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'views.open', 'views.update'].includes(c.method));
      return [...sent.map((c) => JSON.stringify(c.body)), ...double.responses.map((r) => r.raw)];
    },
    wouldPing: slackWouldPing,
    async limitViolations() {
      return double.calls
        .filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update')
        .flatMap((c) => blockKitViolations(c.body).map((p) => `${c.method}: ${p}`));
    },
    async click(ref: MessageRef, action: CardActionName, value?: string) {
      const message = double.message(ref.channel, ref.messageId);
      if (!message) throw new Error(`no message ${ref.messageId}`);
      const pick = (option: { value: string }) => {
        const parsed = JSON.parse(option.value) as { team?: string; r?: string; s?: number };
        return action === 'assign' ? parsed.team === value : parsed.r === value && parsed.s === undefined;
      };
      await h.interact(messageAction(double, message, ACTION_IDS[action], { pick }));
    },
    async sendCommand(command: string, text: string) {
      await h.command(slashCommand(double, { command, text, channel: CHANNEL }));
    },
    async close() {
      await platform.stop();
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server?.close(() => resolve()));
      }
      await double.close();
    },
  };
  return h;
}
