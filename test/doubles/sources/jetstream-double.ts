import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A local Jetstream (https://github.com/bluesky-social/jetstream) speaking its wire protocol:
 * `GET /subscribe?wantedCollections=…&wantedDids=…&cursor=<time_us>`, JSON events, cursor replay
 * from its log (events with `time_us >= cursor`), live fan-out otherwise.
 */
export interface JetstreamEvent {
  did: string;
  time_us: number;
  kind: string;
  [key: string]: unknown;
}

export interface JetstreamConnection {
  cursor: number | null;
  wantedCollections: string[];
  wantedDids: string[];
  /** Messages sent on this connection. */
  sent: number;
}

export interface JetstreamDoubleOptions {
  /** Terminate a connection after it has sent this many messages (once per entry, in order). */
  dropAfter?: number[];
  path?: string;
}

export interface JetstreamDouble {
  /** ws://127.0.0.1:<port>/subscribe */
  url: string;
  connections: JetstreamConnection[];
  /** Appends to the log and sends to every live subscriber that wants it. */
  publish(event: JetstreamEvent): void;
  /** A raw frame (malformed on purpose): logged after the last event's time, sent to everyone live. */
  publishRaw(text: string): void;
  /** Closes every open connection abruptly (as a server restart would). */
  dropAll(): void;
  /** Bytes queued server-side on open connections (grows when a client stops reading). */
  bufferedAmount(): number;
  openConnections(): number;
  close(): Promise<void>;
}

interface LogEntry {
  timeUs: number;
  text: string;
  event: JetstreamEvent | null;
}

interface Client {
  ws: WebSocket;
  info: JetstreamConnection;
  dropAt: number | null;
}

function wants(info: JetstreamConnection, event: JetstreamEvent | null): boolean {
  if (event === null) return true;
  if (info.wantedDids.length > 0 && !info.wantedDids.includes(event.did)) return false;
  if (event.kind !== 'commit') return true; // identity and account events go to every subscriber
  const collection = (event.commit as { collection?: string } | undefined)?.collection ?? '';
  return info.wantedCollections.length === 0 || info.wantedCollections.some((w) => (w.endsWith('.*') ? collection.startsWith(w.slice(0, -1)) : w === collection));
}

export async function startJetstreamDouble(options: JetstreamDoubleOptions = {}): Promise<JetstreamDouble> {
  const path = options.path ?? '/subscribe';
  const drops = [...(options.dropAfter ?? [])];
  const log: LogEntry[] = [];
  const clients = new Set<Client>();
  const connections: JetstreamConnection[] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as AddressInfo;

  const send = (client: Client, entry: LogEntry) => {
    if (client.ws.readyState !== WebSocket.OPEN || !wants(client.info, entry.event)) return;
    client.ws.send(entry.text);
    client.info.sent++;
    if (client.dropAt !== null && client.info.sent >= client.dropAt) {
      clients.delete(client);
      client.ws.terminate();
    }
  };

  wss.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== path) {
      ws.close(1008, 'unknown path');
      return;
    }
    const cursorParam = url.searchParams.get('cursor');
    const info: JetstreamConnection = {
      cursor: cursorParam !== null && /^\d+$/.test(cursorParam) ? Number(cursorParam) : null,
      wantedCollections: url.searchParams.getAll('wantedCollections'),
      wantedDids: url.searchParams.getAll('wantedDids'),
      sent: 0,
    };
    connections.push(info);
    const client: Client = { ws, info, dropAt: drops.shift() ?? null };
    clients.add(client);
    ws.on('close', () => clients.delete(client));
    ws.on('error', () => clients.delete(client));
    if (info.cursor !== null) {
      const from = info.cursor;
      for (const entry of log) {
        if (entry.timeUs >= from) send(client, entry);
        if (!clients.has(client)) break;
      }
    }
  });

  const fanOut = (entry: LogEntry) => {
    log.push(entry);
    for (const client of [...clients]) send(client, entry);
  };

  return {
    url: `ws://127.0.0.1:${port}${path}`,
    connections,
    publish(event) {
      fanOut({ timeUs: event.time_us, text: JSON.stringify(event), event });
    },
    publishRaw(text) {
      fanOut({ timeUs: log.at(-1)?.timeUs ?? 0, text, event: null });
    },
    dropAll() {
      for (const client of clients) client.ws.terminate();
      clients.clear();
    },
    bufferedAmount() {
      let total = 0;
      for (const c of clients) total += c.ws.bufferedAmount;
      return total;
    },
    openConnections() {
      return clients.size;
    },
    close() {
      for (const c of clients) c.ws.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

/** A post create event as Jetstream sends it. */
export function jetstreamPost(p: {
  did: string;
  rkey: string;
  timeUs: number;
  text: string;
  langs?: string[];
  createdAt?: string;
  reply?: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } };
  embed?: Record<string, unknown>;
  facets?: unknown[];
}): JetstreamEvent {
  return {
    did: p.did,
    time_us: p.timeUs,
    kind: 'commit',
    commit: {
      rev: `rev${p.timeUs}`,
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey: p.rkey,
      record: {
        $type: 'app.bsky.feed.post',
        createdAt: p.createdAt ?? new Date(Math.floor(p.timeUs / 1_000)).toISOString(),
        text: p.text,
        ...(p.langs ? { langs: p.langs } : {}),
        ...(p.reply ? { reply: p.reply } : {}),
        ...(p.embed ? { embed: p.embed } : {}),
        ...(p.facets ? { facets: p.facets } : {}),
      },
      cid: `bafy${p.rkey}`,
    },
  };
}

export function jetstreamIdentity(did: string, handle: string, timeUs: number): JetstreamEvent {
  return { did, time_us: timeUs, kind: 'identity', identity: { did, handle, seq: timeUs, time: new Date(timeUs / 1_000).toISOString() } };
}
