import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SocketDouble, createSocketDouble } from './socket-double.js';
import { blockKitViolations } from './limits.js';
import { readBody } from '../read-body.js';

/**
 * A local double of Slack's Web API (form-encoded or JSON bodies at `/api/<method>`), of response_url
 * endpoints, and of Socket Mode (see socket-double.ts). It keeps channel state (messages, threads,
 * metadata, views) so tests assert what a user would see, and enforces Slack's one
 * `chat.postMessage` per second per channel with 429 + Retry-After.
 */

export interface RecordedCall {
  method: string;
  /** Parsed body: form fields with JSON-looking values decoded (blocks, metadata, view…). */
  body: Record<string, unknown>;
  token: string | null;
  /** Double clock time of the call, ms. */
  at: number;
  /** HTTP status answered (429 for rate-limited calls). */
  status: number;
}

export interface StoredMessage {
  ts: string;
  channel: string;
  thread_ts?: string;
  user: string;
  bot_id: string;
  text: string;
  blocks: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Raw body of the last post/update that produced this state. */
  raw: string;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  raw: string;
}

export interface EphemeralPost {
  channel: string;
  user: string;
  text: string;
  raw: string;
}

export interface StoredView {
  id: string;
  hash: string;
  view: Record<string, unknown>;
  /** The user it was opened for. */
  user: string | null;
}

/** A one-shot fault on the next call of `method`. */
export type Fault = (
  | { method: string; kind: 'lose-answer' } // performs the call, then drops the connection
  | { method: string; kind: 'status'; status: number }
  | { method: string; kind: 'rate-limit'; retryAfterSeconds: number }
) & {
  /** Only calls whose body passes this take the fault (default: the next call of the method). */
  when?: (body: Record<string, unknown>) => boolean;
};

export interface SlackDoubleOptions {
  /** Milliseconds; drives the one-post-per-second rule. Default: Date.now. */
  clock?: () => number;
  /** Posts allowed per channel per second; Infinity turns the rule off. */
  postsPerSecond?: number;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  userGroups?: Array<{ id: string; handle: string; users: string[] }>;
}

export interface SlackDouble {
  /** Web API base, with the trailing slash: pass as SLACK_API_URL. */
  apiUrl: string;
  baseUrl: string;
  botUserId: string;
  botId: string;
  teamId: string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Channel messages, top level and thread replies, oldest first, updates applied. */
  messages(channel: string): StoredMessage[];
  message(channel: string, ts: string): StoredMessage | undefined;
  responses: ResponseUrlPost[];
  ephemerals: EphemeralPost[];
  views: Map<string, StoredView>;
  /** A fresh response_url for an interaction or command payload. */
  responseUrl(): string;
  setUserGroups(groups: Array<{ id: string; handle: string; users: string[] }>): void;
  /** Makes the next call to `fault.method` fail that way. */
  inject(fault: Fault): void;
  socket: SocketDouble;
  close(): Promise<void>;
}

export async function startSlackDouble(options: SlackDoubleOptions = {}): Promise<SlackDouble> {
  const clock = options.clock ?? Date.now;
  const postsPerSecond = options.postsPerSecond ?? 1;
  const botUserId = options.botUserId ?? 'UVIGIEBOT';
  const botId = options.botId ?? 'BVIGIEBOT';
  const teamId = options.teamId ?? 'T0VIGIE';
  let userGroups = options.userGroups ?? [];
  const calls: RecordedCall[] = [];
  const channels = new Map<string, StoredMessage[]>();
  const responses: ResponseUrlPost[] = [];
  const ephemerals: EphemeralPost[] = [];
  const views = new Map<string, StoredView>();
  const faults: Fault[] = [];
  const recentPosts = new Map<string, number[]>();
  let seq = 0;
  let baseUrl = '';

  const nextTs = () => {
    seq += 1;
    return `${Math.floor(clock() / 1000)}.${String(seq).padStart(6, '0')}`;
  };
  const store = (channel: string) => {
    let list = channels.get(channel);
    if (!list) {
      list = [];
      channels.set(channel, list);
    }
    return list;
  };
  const find = (channel: string, ts: string) => channels.get(channel)?.find((m) => m.ts === ts);

  type Answer = { status?: number; headers?: Record<string, string>; body: Record<string, unknown> };
  const ok = (body: Record<string, unknown> = {}): Answer => ({ body: { ok: true, ...body } });
  const fail = (error: string): Answer => ({ body: { ok: false, error } });
  const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
  const asBlocks = (v: unknown) => (Array.isArray(v) ? v : []);
  const truthy = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;

  const publicMessage = (m: StoredMessage, withMetadata: boolean) => {
    const { raw: _raw, channel: _channel, metadata, ...rest } = m;
    return { type: 'message', ...rest, ...(withMetadata && metadata ? { metadata } : {}) };
  };

  const methods: Record<string, (body: Record<string, unknown>) => Answer> = {
    'auth.test': () => ok({ url: 'https://vigie-double.slack.com/', team: 'Vigie', user: 'vigie', team_id: teamId, user_id: botUserId, bot_id: botId }),
    'apps.connections.open': () => ok({ url: `${baseUrl.replace(/^http/, 'ws')}/socket` }),
    'chat.postMessage': (body) => {
      const channel = str(body.channel);
      if (!channel) return fail('channel_not_found');
      const problems = blockKitViolations(body);
      if (problems.length > 0) return { body: { ok: false, error: 'invalid_blocks', errors: problems } };
      const now = clock();
      const recent = (recentPosts.get(channel) ?? []).filter((t) => now - t < 1_000);
      if (recent.length >= postsPerSecond) {
        const oldest = recent[0] ?? now;
        const retryAfter = Math.max(1, Math.ceil((1_000 - (now - oldest)) / 1_000));
        return { status: 429, headers: { 'retry-after': String(retryAfter) }, body: { ok: false, error: 'ratelimited' } };
      }
      recentPosts.set(channel, [...recent, now]);
      const threadTs = str(body.thread_ts);
      if (threadTs && !find(channel, threadTs)) return fail('thread_not_found');
      const metadata = body.metadata as StoredMessage['metadata'] | undefined;
      const message: StoredMessage = {
        ts: nextTs(),
        channel,
        user: botUserId,
        bot_id: botId,
        text: str(body.text),
        blocks: asBlocks(body.blocks),
        raw: JSON.stringify(body),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(metadata ? { metadata } : {}),
      };
      store(channel).push(message);
      return ok({ channel, ts: message.ts, message: publicMessage(message, false) });
    },
    'chat.update': (body) => {
      const message = find(str(body.channel), str(body.ts));
      if (!message) return fail('message_not_found');
      const problems = blockKitViolations(body);
      if (problems.length > 0) return { body: { ok: false, error: 'invalid_blocks', errors: problems } };
      message.text = str(body.text);
      message.blocks = asBlocks(body.blocks);
      message.raw = JSON.stringify(body);
      return ok({ channel: message.channel, ts: message.ts, text: message.text });
    },
    'chat.postEphemeral': (body) => {
      ephemerals.push({ channel: str(body.channel), user: str(body.user), text: str(body.text), raw: JSON.stringify(body) });
      return ok({ message_ts: nextTs() });
    },
    'conversations.history': (body) => {
      const withMetadata = truthy(body.include_all_metadata);
      const top = [...(channels.get(str(body.channel)) ?? [])].filter((m) => !m.thread_ts || m.thread_ts === m.ts).reverse();
      const limit = Math.min(Number(body.limit ?? 100) || 100, 1_000);
      const offset = Number(str(body.cursor) || 0);
      const page = top.slice(offset, offset + limit);
      const more = offset + limit < top.length;
      return ok({ messages: page.map((m) => publicMessage(m, withMetadata)), has_more: more, response_metadata: { next_cursor: more ? String(offset + limit) : '' } });
    },
    'conversations.replies': (body) => {
      const channel = str(body.channel);
      const ts = str(body.ts);
      const parent = find(channel, ts);
      if (!parent) return fail('thread_not_found');
      const withMetadata = truthy(body.include_all_metadata);
      const replies = (channels.get(channel) ?? []).filter((m) => m.thread_ts === ts && m.ts !== ts);
      return ok({ messages: [parent, ...replies].map((m) => publicMessage(m, withMetadata)), has_more: false });
    },
    'views.open': (body) => {
      if (!str(body.trigger_id)) return fail('invalid_trigger_id');
      const view = (body.view ?? {}) as Record<string, unknown>;
      const stored: StoredView = { id: `V${randomUUID().slice(0, 8).toUpperCase()}`, hash: randomUUID(), view, user: null };
      views.set(stored.id, stored);
      return ok({ view: { ...view, id: stored.id, hash: stored.hash } });
    },
    'views.update': (body) => {
      const stored = views.get(str(body.view_id));
      if (!stored) return fail('not_found');
      if (body.hash !== undefined && body.hash !== stored.hash) return fail('hash_conflict');
      const problems = blockKitViolations(body.view as Record<string, unknown>, 100);
      if (problems.length > 0) return { body: { ok: false, error: 'invalid_arguments', errors: problems } };
      stored.view = (body.view ?? {}) as Record<string, unknown>;
      stored.hash = randomUUID();
      return ok({ view: { ...stored.view, id: stored.id, hash: stored.hash } });
    },
    'usergroups.list': (body) =>
      ok({
        usergroups: userGroups.map((g) => ({ id: g.id, handle: g.handle, team_id: teamId, ...(truthy(body.include_users) ? { users: g.users } : {}) })),
      }),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://double');
    if (url.pathname.startsWith('/response/')) {
      const body = parseBody(raw, req.headers['content-type']);
      responses.push({ id: url.pathname.slice('/response/'.length), body, raw });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const match = /^\/api\/([\w.]+)$/.exec(url.pathname);
    const method = match?.[1];
    if (!method) {
      res.writeHead(404).end();
      return;
    }
    const body = parseBody(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof body.token === 'string' ? body.token : null;
    const call: RecordedCall = { method, body, token, at: clock(), status: 200 };
    calls.push(call);
    const faultIndex = faults.findIndex((f) => f.method === method && (f.when?.(body) ?? true));
    const fault = faultIndex === -1 ? undefined : faults.splice(faultIndex, 1)[0];
    if (fault?.kind === 'rate-limit') {
      call.status = 429;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(fault.retryAfterSeconds) }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (fault?.kind === 'status') {
      call.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end('upstream trouble');
      return;
    }
    const run = methods[method];
    const answer = !token ? fail('not_authed') : run ? run(body) : fail('unknown_method');
    if (fault?.kind === 'lose-answer') {
      // The call took effect; its answer never arrives.
      req.socket.destroy();
      return;
    }
    call.status = answer.status ?? 200;
    res.writeHead(call.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers }).end(JSON.stringify(answer.body));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  const socket = createSocketDouble(server, { responseUrl: () => `${baseUrl}/response/${randomUUID()}`, teamId, botUserId });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    botUserId,
    botId,
    teamId,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    messages: (channel) => [...(channels.get(channel) ?? [])],
    message: find,
    responses,
    ephemerals,
    views,
    responseUrl: () => `${baseUrl}/response/${randomUUID()}`,
    setUserGroups: (groups) => {
      userGroups = groups;
    },
    inject: (fault) => {
      faults.push(fault);
    },
    socket,
    close: async () => {
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The Web API takes form fields whose object values are JSON strings, or a JSON body. */
export function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (/^[[{]/.test(value)) {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        // Not JSON after all: keep the string.
      }
    }
    out[key] = value;
  }
  return out;
}
