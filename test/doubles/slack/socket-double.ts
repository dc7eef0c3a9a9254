import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

/** What the client sent back for an envelope: Bolt's ack, with its optional response payload. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface SocketDouble {
  /** Resolves once a client is connected and has been sent `hello`. */
  connected(): Promise<void>;
  /** Sends an envelope and resolves with the client's ack (rejects after `timeoutMs`). */
  send(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>, timeoutMs?: number): Promise<SocketAck>;
  sendSlashCommand(payload: Record<string, unknown>): Promise<SocketAck>;
  sendBlockAction(payload: Record<string, unknown>): Promise<SocketAck>;
  sendViewSubmission(payload: Record<string, unknown>): Promise<SocketAck>;
  /** Wraps a bare event (`{type:'message', …}`) in an event_callback. */
  sendEvent(event: Record<string, unknown>): Promise<SocketAck>;
  /** Every ack received, in order. */
  acks: SocketAck[];
  close(): Promise<void>;
}

/** Socket Mode on `/socket` of the double's HTTP server: hello, envelopes, acks by envelope_id. */
export function createSocketDouble(server: Server, context: { responseUrl: () => string; teamId: string; botUserId: string }): SocketDouble {
  const wss = new WebSocketServer({ noServer: true });
  const acks: SocketAck[] = [];
  const pending = new Map<string, (ack: SocketAck) => void>();
  let client: WebSocket | null = null;
  let waiters: Array<() => void> = [];

  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/socket')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      client = ws;
      ws.on('message', (data) => {
        let ack: SocketAck;
        try {
          ack = JSON.parse(data.toString()) as SocketAck;
        } catch {
          return;
        }
        acks.push(ack);
        pending.get(ack.envelope_id)?.(ack);
        pending.delete(ack.envelope_id);
      });
      ws.on('close', () => {
        if (client === ws) client = null;
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'double' }, connection_info: { app_id: 'A0VIGIE' } }));
      for (const wake of waiters) wake();
      waiters = [];
    });
  });

  const send: SocketDouble['send'] = (type, payload, timeoutMs = 5_000) =>
    new Promise<SocketAck>((resolve, reject) => {
      if (!client) {
        reject(new Error('socket double: no client connected'));
        return;
      }
      const envelopeId = randomUUID();
      const timer = setTimeout(() => {
        pending.delete(envelopeId);
        reject(new Error(`socket double: no ack for ${type} envelope within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      client.send(JSON.stringify({ envelope_id: envelopeId, type, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '', payload }));
    });

  return {
    connected: () => (client ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    send,
    sendSlashCommand: (payload) => send('slash_commands', payload),
    sendBlockAction: (payload) => send('interactive', payload),
    sendViewSubmission: (payload) => send('interactive', payload),
    sendEvent: (event) => send('events_api', eventCallback(event, context.teamId, context.botUserId)),
    acks,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export function eventCallback(event: Record<string, unknown>, teamId: string, botUserId: string): Record<string, unknown> {
  return {
    token: 'verification-token',
    team_id: teamId,
    api_app_id: 'A0VIGIE',
    event: { event_ts: String(Date.now() / 1000), ...event },
    type: 'event_callback',
    event_id: `Ev${randomUUID().slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}
