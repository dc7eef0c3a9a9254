import type { ServerResponse } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { bearer, json, startHttp } from './http-util.js';

/**
 * A local Mastodon instance for the streaming and REST APIs a listener uses:
 * WebSocket `GET /api/v1/streaming?stream=…` (messages `{stream, event, payload: "<json>"}`),
 * server-sent events under `/api/v1/streaming/…`, timelines with `min_id`, notifications,
 * `POST /api/v1/statuses` and `GET /api/v2/search`.
 */
export interface MastodonStatusJson {
  id: string;
  uri: string;
  url: string | null;
  created_at: string;
  content: string;
  language: string | null;
  in_reply_to_id: string | null;
  reblog: MastodonStatusJson | null;
  account: Record<string, unknown>;
  tags: Array<{ name: string }>;
  local?: boolean;
  [k: string]: unknown;
}

export interface MastodonNotificationJson {
  id: string;
  type: string;
  created_at: string;
  account: Record<string, unknown>;
  status?: MastodonStatusJson | null;
}

export interface MastodonDoubleOptions {
  /** Tokens accepted for reading; empty: anything goes. */
  readTokens?: string[];
  /** Tokens allowed to post (write:statuses). */
  writeTokens?: string[];
}

export interface MastodonDouble {
  origin: string;
  /** Every stream connection, with how it authenticated. */
  connections: Array<{ transport: 'websocket' | 'sse'; stream: string; tag: string | null; token: string | null; headerToken: string | null }>;
  /** REST requests made (method + path with query). */
  requests: string[];
  posted: Array<{ status: string; in_reply_to_id: string | null; idempotencyKey: string | null }>;
  /** Stores the status (timelines) and streams it to matching subscribers. */
  publish(status: MastodonStatusJson): void;
  /** Only stores it (as if it arrived while nobody was connected). */
  store(status: MastodonStatusJson): void;
  notify(notification: MastodonNotificationJson): void;
  /** A raw frame/event to every subscriber (malformed on purpose). */
  sendRaw(text: string): void;
  dropAll(): void;
  /** The next `n` stream connections get 429 with Retry-After: `seconds`. */
  rateLimitConnects(n: number, seconds: number): void;
  openStreams(): number;
  close(): Promise<void>;
}

interface Subscriber {
  stream: string;
  tag: string | null;
  send(event: string, payload: string, streamName: string[]): void;
  sendRaw(text: string): void;
  end(): void;
}

function matches(sub: Subscriber, status: MastodonStatusJson): boolean {
  if (sub.stream === 'public') return true;
  if (sub.stream === 'public:local') return status.local !== false;
  if (sub.stream === 'hashtag' || sub.stream === 'hashtag:local') return status.tags.some((t) => t.name.toLowerCase() === sub.tag?.toLowerCase());
  return false;
}

const SSE_PATHS: Record<string, string> = {
  '/api/v1/streaming/public': 'public',
  '/api/v1/streaming/public/local': 'public:local',
  '/api/v1/streaming/hashtag': 'hashtag',
  '/api/v1/streaming/hashtag/local': 'hashtag:local',
  '/api/v1/streaming/user/notification': 'user:notification',
  '/api/v1/streaming/user': 'user',
};

function byIdDesc<T extends { id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.id.length !== b.id.length ? b.id.length - a.id.length : a.id < b.id ? 1 : -1));
}
function after(id: string, min: string): boolean {
  return id.length !== min.length ? id.length > min.length : id > min;
}

export async function startMastodonDouble(options: MastodonDoubleOptions = {}): Promise<MastodonDouble> {
  const statuses: MastodonStatusJson[] = [];
  const notifications: MastodonNotificationJson[] = [];
  const subscribers = new Set<Subscriber>();
  const connections: MastodonDouble['connections'] = [];
  const requests: string[] = [];
  const posted: MastodonDouble['posted'] = [];
  let limited = { n: 0, seconds: 0 };
  let nextId = 900_000_000_000_000_000n;
  const readOk = (token: string | null) => !options.readTokens || options.readTokens.length === 0 || (token !== null && options.readTokens.includes(token));

  const page = <T extends { id: string }>(res: ServerResponse, items: T[], url: URL) => {
    const limit = Math.min(40, Number(url.searchParams.get('limit') ?? 20));
    const min = url.searchParams.get('min_id');
    const since = url.searchParams.get('since_id');
    let out = byIdDesc(items);
    if (min) out = out.filter((s) => after(s.id, min)).slice(-limit); // the page right after min_id
    else if (since) out = out.filter((s) => after(s.id, since)).slice(0, limit);
    else out = out.slice(0, limit);
    json(res, 200, out);
  };

  const http = await startHttp((req, res, url, body) => {
    const token = bearer(req, url);
    if (url.pathname.startsWith('/api/v1/streaming')) {
      const stream = SSE_PATHS[url.pathname];
      if (!stream) return json(res, 404, { error: 'not found' });
      if (limited.n > 0) {
        limited.n--;
        return json(res, 429, { error: 'Too many requests' }, { 'retry-after': String(limited.seconds) });
      }
      if (!readOk(token)) return json(res, 401, { error: 'Error: Missing access token' });
      const tag = url.searchParams.get('tag');
      connections.push({ transport: 'sse', stream, tag, token, headerToken: bearer(req) });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(':)\n\n');
      const sub: Subscriber = {
        stream,
        tag,
        send: (event, payload) => res.write(`event: ${event}\ndata: ${payload}\n\n`),
        sendRaw: (text) => res.write(`event: update\ndata: ${text}\n\n`),
        end: () => res.destroy(),
      };
      subscribers.add(sub);
      res.on('close', () => subscribers.delete(sub));
      return;
    }
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (!readOk(token)) return json(res, 401, { error: 'The access token is invalid' });
    const tagMatch = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && tagMatch) {
      const tag = decodeURIComponent(tagMatch[1]!).toLowerCase();
      return page(res, statuses.filter((s) => s.tags.some((t) => t.name.toLowerCase() === tag)), url);
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/timelines/public') {
      const local = url.searchParams.get('local') === 'true';
      return page(res, statuses.filter((s) => !local || s.local !== false), url);
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/notifications') {
      const types = url.searchParams.getAll('types[]');
      return page(res, notifications.filter((n) => types.length === 0 || types.includes(n.type)), url);
    }
    if (req.method === 'GET' && url.pathname === '/api/v2/search') {
      const q = url.searchParams.get('q') ?? '';
      return json(res, 200, { accounts: [], hashtags: [], statuses: statuses.filter((s) => s.url === q || s.uri === q) });
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/statuses') {
      if (!token || !(options.writeTokens ?? []).includes(token)) return json(res, 403, { error: 'This action is outside the authorized scopes' });
      const input = JSON.parse(body || '{}') as { status?: string; in_reply_to_id?: string };
      if (!input.status) return json(res, 422, { error: 'Validation failed: Text can\'t be blank' });
      const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
      posted.push({ status: input.status, in_reply_to_id: input.in_reply_to_id ?? null, idempotencyKey: key });
      nextId++;
      return json(res, 200, { id: String(nextId), url: `${http.origin}/@vigie/${nextId}`, uri: `${http.origin}/users/vigie/statuses/${nextId}`, content: input.status });
    }
    return json(res, 404, { error: 'Record not found' });
  });

  const wss = new WebSocketServer({ noServer: true });
  http.server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const token = bearer(req, url);
    const reject = (status: number, headers: Record<string, string> = {}) => {
      const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.end(`HTTP/1.1 ${status} Refused\r\n${lines}content-length: 0\r\nconnection: close\r\n\r\n`);
    };
    if (url.pathname !== '/api/v1/streaming') return reject(404);
    if (limited.n > 0) {
      limited.n--;
      return reject(429, { 'retry-after': String(limited.seconds) });
    }
    if (!readOk(token)) return reject(401);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const stream = url.searchParams.get('stream') ?? '';
      const tag = url.searchParams.get('tag');
      connections.push({ transport: 'websocket', stream, tag, token, headerToken: bearer(req) });
      const sub: Subscriber = {
        stream,
        tag,
        send: (event, payload, name) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ stream: name, event, payload })),
        sendRaw: (text) => ws.readyState === WebSocket.OPEN && ws.send(text),
        end: () => ws.terminate(),
      };
      subscribers.add(sub);
      ws.on('close', () => subscribers.delete(sub));
    });
  });

  const streamNameOf = (sub: Subscriber) => (sub.tag ? [sub.stream, sub.tag] : [sub.stream]);
  return {
    origin: http.origin,
    connections,
    requests,
    posted,
    publish(status) {
      statuses.push(status);
      for (const sub of subscribers) if (matches(sub, status)) sub.send('update', JSON.stringify(status), streamNameOf(sub));
    },
    store(status) {
      statuses.push(status);
    },
    notify(n) {
      notifications.push(n);
      for (const sub of subscribers) if (sub.stream === 'user:notification' || sub.stream === 'user') sub.send('notification', JSON.stringify(n), streamNameOf(sub));
    },
    sendRaw(text) {
      for (const sub of subscribers) sub.sendRaw(text);
    },
    dropAll() {
      for (const sub of subscribers) sub.end();
      subscribers.clear();
    },
    rateLimitConnects(n, seconds) {
      limited = { n, seconds };
    },
    openStreams() {
      return subscribers.size;
    },
    async close() {
      for (const sub of subscribers) sub.end();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await http.close();
    },
  };
}

/** A status as Mastodon's API renders it. */
export function mastodonStatus(p: {
  id: string;
  html: string;
  acct?: string;
  tags?: string[];
  language?: string | null;
  inReplyToId?: string | null;
  reblog?: MastodonStatusJson | null;
  origin?: string;
  createdAt?: string;
  followers?: number;
}): MastodonStatusJson {
  const origin = p.origin ?? 'https://social.example';
  const acct = p.acct ?? 'alice';
  const username = acct.split('@')[0]!;
  return {
    id: p.id,
    uri: `${origin}/users/${username}/statuses/${p.id}`,
    url: `${origin}/@${username}/${p.id}`,
    created_at: p.createdAt ?? '2026-11-28T08:00:00.000Z',
    content: p.html,
    spoiler_text: '',
    visibility: 'public',
    language: p.language === undefined ? 'fr' : p.language,
    in_reply_to_id: p.inReplyToId ?? null,
    reblog: p.reblog ?? null,
    account: { id: `acc-${username}`, username, acct, display_name: `${username} name`, followers_count: p.followers ?? 12, note: '<p>bio &amp; more</p>', url: `${origin}/@${username}` },
    tags: (p.tags ?? []).map((name) => ({ name, url: `${origin}/tags/${name}` })),
    media_attachments: [],
    mentions: [],
  };
}
