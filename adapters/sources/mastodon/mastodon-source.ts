import { createHash } from 'node:crypto';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { ErrorCode, VigieError } from '../../../src/core/errors.js';
import type { MentionInput } from '../../../src/mentions/mention.js';
import type { CursorStore, MentionSink, ReplyRequest, ReplyResult, Source, SourceHealth } from '../../../src/sources/port.js';
import { backoffDelay, retryAfterMs } from '../runtime/backoff.js';
import { reasonOf, runtimeOf, type SourceRuntime, type SourceRuntimeDeps } from '../runtime/deps.js';
import { HealthTracker } from '../runtime/health.js';
import { joinUrl, platformError, readBodyLimited } from '../runtime/http.js';
import { LineSplitter } from '../runtime/lines.js';
import { checkMention, checkPayload, excerpt, parseJsonPayload } from '../runtime/payload.js';
import { SinkPump } from '../runtime/sink-pump.js';
import { SseParser } from '../runtime/sse.js';
import { closeSocket, DefaultWebSocket, messageText, type WebSocketClass } from '../runtime/ws.js';
import { MENTION_NOTIFICATION_TYPES, notificationSchema, type Status, statusSchema, streamMessageSchema } from './mastodon-payloads.js';
import { compareIds, type MastodonStream, ssePath, streamName, timelinePath, websocketParams } from './streams.js';
import { statusToMention } from './to-mention.js';

export const MASTODON_DEFAULTS = {
  transport: 'websocket' as 'websocket' | 'sse',
  batchSize: 100,
  maxBuffered: 1_000,
  /** A hashtag can stay quiet for hours: liveness comes from our pings, not from traffic. */
  pingEveryMs: 30_000, // 30 s
  deadAfterMs: 90_000, // 1 min 30 s without any frame or pong
  backfillPageSize: 40, // Mastodon's maximum
  backfillMaxPages: 10,
  replyMaxLength: 500,
} as const;

export interface MastodonOptions {
  id: string;
  /** https://instance.example */
  instanceUrl: string;
  /** Where the streaming API answers, when not on the instance's own host. */
  streamingUrl?: string;
  streams: readonly MastodonStream[];
  /** Needed for public and hashtag streams since Mastodon 4.2, and for notifications. */
  token: string | null;
  transport?: 'websocket' | 'sse';
  account?: string | null;
  cursors: CursorStore;
  /** Send replies with this token (it needs `write:statuses`). */
  replies?: boolean;
  batchSize?: number;
  maxBuffered?: number;
  backfillMaxPages?: number;
}

export interface MastodonDeps extends SourceRuntimeDeps {
  WebSocket?: WebSocketClass;
  fetch?: typeof fetch;
}

const replyAnswerSchema = z.looseObject({ id: z.string().min(1), url: z.string().nullish(), uri: z.string().optional() });
const searchAnswerSchema = z.looseObject({ statuses: z.array(z.looseObject({ id: z.string() })) });

type ConnectionEnd = { messages: number; reason: string; retryAfterMs: number | null };

/**
 * Mastodon: hashtag, public and notification streams over WebSocket (or server-sent events).
 * Streams have no cursor, so after a disconnect or a restart the gap is filled from the matching
 * REST timeline (`min_id` = the last status stored), then the stream carries on.
 */
export class MastodonSource implements Source {
  readonly kind = 'mastodon';
  readonly id: string;
  readonly replyMaxLength = MASTODON_DEFAULTS.replyMaxLength;
  readonly reply?: (request: ReplyRequest) => Promise<ReplyResult>;

  private readonly rt: SourceRuntime;
  private readonly health_: HealthTracker;
  private readonly WS: WebSocketClass;
  private readonly fetch: typeof fetch;
  private readonly host: string;
  private abort: AbortController | null = null;
  private loops: Promise<void>[] = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly connected = new Set<string>();
  private pumps: SinkPump<string>[] = [];

  constructor(
    private readonly options: MastodonOptions,
    deps: MastodonDeps,
  ) {
    this.id = options.id;
    this.rt = runtimeOf(deps);
    this.health_ = new HealthTracker(options.id, this.kind, this.rt.clock);
    this.WS = deps.WebSocket ?? DefaultWebSocket;
    this.fetch = deps.fetch ?? fetch;
    this.host = new URL(options.instanceUrl).host;
    const token = options.token;
    if (token !== null && options.replies !== false) this.reply = (request) => this.sendReply(token, request);
  }

  health(): SourceHealth {
    return this.health_.snapshot();
  }

  async start(sink: MentionSink): Promise<void> {
    if (this.abort) throw new Error(`source ${this.id} is already started`);
    const abort = new AbortController();
    this.abort = abort;
    this.loops = this.options.streams.map((stream) => this.runStream(stream, sink, abort.signal));
  }

  async stop(): Promise<void> {
    const abort = this.abort;
    if (!abort) return;
    abort.abort();
    for (const ws of this.sockets) closeSocket(ws);
    await Promise.all(this.loops);
    await Promise.all(this.pumps.map((p) => p.idle()));
    this.pumps = [];
    this.loops = [];
    this.connected.clear();
    this.health_.setConnected(false);
    this.abort = null;
  }

  private cursorKey(stream: MastodonStream): string {
    return `mastodon:${this.id}:${streamName(stream)}`;
  }

  private headers(): Record<string, string> {
    return this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
  }

  private async runStream(stream: MastodonStream, sink: MentionSink, signal: AbortSignal): Promise<void> {
    const name = streamName(stream);
    const key = this.cursorKey(stream);
    let lastId = await this.options.cursors.get(key).catch(() => null);
    let persisting: Promise<void> = Promise.resolve();
    let ws: WebSocket | null = null;
    let paused = false;
    let resumeReading: (() => void) | null = null;
    const pump = new SinkPump<string>({
      sink,
      runtime: this.rt,
      signal,
      batchSize: this.options.batchSize ?? MASTODON_DEFAULTS.batchSize,
      maxBuffered: this.options.maxBuffered ?? MASTODON_DEFAULTS.maxBuffered,
      label: `${this.id}/${name}`,
      onPressure: (p) => {
        paused = p;
        if (ws && ws.readyState === ws.OPEN) p ? ws.pause() : ws.resume();
        if (!p) resumeReading?.();
      },
      onCommitted: (id) => {
        if (lastId !== null && compareIds(id, lastId) <= 0) return;
        lastId = id;
        persisting = persisting.then(() => this.options.cursors.set(key, id)).catch((err) => this.rt.logger.warn({ source: this.id, err: reasonOf(err) }, 'could not save the Mastodon position'));
      },
      onSinkError: (reason) => this.health_.error(`sink: ${reason}`),
    });
    this.pumps.push(pump);

    // While a gap is being filled, live positions are held back: committing one before the older
    // posts of the gap are stored would let a crash skip them.
    let backfilling = false;
    let heldMark: string | null = null;
    const ingest = (text: string, event: string) => {
      const item = this.toMention(event, text);
      if (item === null) return;
      const mark = backfilling ? undefined : item.mark;
      if (backfilling && (heldMark === null || compareIds(item.mark, heldMark) > 0)) heldMark = item.mark;
      if (item.mention) pump.push(item.mention, mark);
      else if (mark !== undefined) pump.mark(mark);
    };

    const conn: StreamIo = {
      onOpen: () => {
        this.connected.add(name);
        this.health_.setConnected(this.connected.size === this.options.streams.length);
      },
      onClose: () => {
        this.connected.delete(name);
        this.health_.setConnected(false);
      },
      setSocket: (s) => {
        ws = s;
        if (s && paused) s.pause();
      },
      isPaused: () => paused,
      waitResume: () =>
        new Promise<void>((resolve) => {
          resumeReading = resolve;
          if (!paused || signal.aborted) resolve();
        }),
      ingest,
      backfill: async () => {
        if (lastId === null) return null;
        backfilling = true;
        try {
          return await this.backfill(stream, lastId, pump, signal);
        } finally {
          backfilling = false;
          if (heldMark !== null) pump.mark(heldMark);
          heldMark = null;
        }
      },
      pump,
    };

    let attempt = 0;
    while (!signal.aborted) {
      const end =
        (this.options.transport ?? MASTODON_DEFAULTS.transport) === 'sse'
          ? await this.connectSse(stream, conn, signal)
          : await this.connectWebSocket(stream, conn, signal);
      if (signal.aborted) break;
      if (end.messages > 0) attempt = 0;
      const wait = Math.max(end.retryAfterMs ?? 0, backoffDelay(attempt++, this.rt.backoff, this.rt.random));
      this.health_.error(`${name}: ${end.reason}`);
      this.rt.logger.warn({ source: this.id, stream: name, reason: end.reason, retryInMs: wait }, 'Mastodon stream disconnected; reconnecting');
      await this.rt.timers.delay(wait, signal);
    }
    await pump.idle();
    await persisting;
  }

  /** A streaming event → a mention (or just a position to remember), or null to ignore. */
  private toMention(event: string, payload: string): { mention: MentionInput | null; mark: string } | null {
    let status: Status | null = null;
    let mark: string;
    if (event === 'update') {
      const parsed = parseJsonPayload(payload, statusSchema);
      if (!parsed.ok) return this.skip(parsed.reason, payload);
      status = parsed.value;
      mark = status.id;
    } else if (event === 'notification') {
      const parsed = parseJsonPayload(payload, notificationSchema);
      if (!parsed.ok) return this.skip(parsed.reason, payload);
      mark = parsed.value.id;
      if (MENTION_NOTIFICATION_TYPES.has(parsed.value.type) && parsed.value.status) status = parsed.value.status;
    } else {
      // delete, status.update (edits), filters_changed, announcements…: nothing new to watch.
      return null;
    }
    if (status === null) return { mention: null, mark };
    this.health_.event(new Date(status.created_at));
    const now = this.rt.clock();
    const checked = checkMention(statusToMention(status, { instanceHost: this.host, account: this.options.account ?? null, now }));
    if (!checked.ok) {
      this.skip(`mention: ${checked.reason}`, payload);
      return { mention: null, mark };
    }
    return { mention: checked.value, mark };
  }

  private skip(reason: string, payload: string): null {
    this.health_.error(`malformed event: ${reason}`);
    this.rt.logger.warn({ source: this.id, reason, payload: excerpt(payload) }, 'malformed Mastodon event skipped');
    return null;
  }

  private connectWebSocket(stream: MastodonStream, io: StreamIo, signal: AbortSignal): Promise<ConnectionEnd> {
    return new Promise((resolve) => {
      const base = new URL(joinUrl(this.options.streamingUrl ?? this.options.instanceUrl, '/api/v1/streaming'));
      base.protocol = base.protocol === 'http:' || base.protocol === 'ws:' ? 'ws:' : 'wss:';
      for (const [k, v] of Object.entries(websocketParams(stream))) base.searchParams.set(k, v);
      // Mastodon reads the token from the Authorization header or from `access_token=`; both are sent
      // because some servers and proxies only pass one on an upgrade. This URL is never logged.
      if (this.options.token) base.searchParams.set('access_token', this.options.token);
      const ws = new this.WS(base.toString(), { headers: this.headers(), handshakeTimeout: 30_000, maxPayload: 8 * 1024 * 1024 });
      this.sockets.add(ws);
      io.setSocket(ws);
      let messages = 0;
      let reason = 'connection closed';
      let retryAfter: number | null = null;
      let lastSign = this.rt.clock().getTime();
      let pinger: unknown = null;
      const alive = () => {
        lastSign = this.rt.clock().getTime();
      };
      const schedulePing = () => {
        pinger = this.rt.timers.setTimeout(() => {
          if (ws.readyState !== ws.OPEN) return;
          if (!io.isPaused() && this.rt.clock().getTime() - lastSign > MASTODON_DEFAULTS.deadAfterMs) {
            reason = 'no answer to pings';
            ws.terminate();
            return;
          }
          ws.ping();
          schedulePing();
        }, MASTODON_DEFAULTS.pingEveryMs);
      };
      ws.on('open', () => {
        io.onOpen();
        alive();
        schedulePing();
        void io.backfill().then((n) => {
          if (n !== null) messages += n;
        });
      });
      ws.on('pong', alive);
      ws.on('ping', alive);
      ws.on('message', (data) => {
        alive();
        const text = messageText(data);
        const msg = parseJsonPayload(text, streamMessageSchema);
        if (!msg.ok) {
          this.skip(msg.reason, text);
          return;
        }
        messages++;
        const payload = msg.value.payload;
        if (payload !== undefined) io.ingest(typeof payload === 'string' ? payload : JSON.stringify(payload), msg.value.event);
      });
      ws.on('unexpected-response', (_req, res) => {
        reason = `HTTP ${res.statusCode ?? '?'} on connect`;
        if (res.statusCode === 429) {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          retryAfter = retryAfterMs(headers, this.rt.clock());
        }
        res.resume();
        ws.terminate();
      });
      ws.on('error', (err) => {
        if (reason === 'connection closed') reason = reasonOf(err);
      });
      ws.on('close', (code) => {
        if (pinger !== null) this.rt.timers.clearTimeout(pinger);
        this.sockets.delete(ws);
        io.setSocket(null);
        io.onClose();
        if (reason === 'connection closed' && code !== 1005) reason = `connection closed (code ${code})`;
        resolve({ messages, reason, retryAfterMs: retryAfter });
      });
      if (signal.aborted) ws.terminate();
    });
  }

  private async connectSse(stream: MastodonStream, io: StreamIo, signal: AbortSignal): Promise<ConnectionEnd> {
    const url = joinUrl(this.options.streamingUrl ?? this.options.instanceUrl, ssePath(stream));
    let messages = 0;
    const idle = new AbortController();
    const onStop = () => idle.abort();
    signal.addEventListener('abort', onStop, { once: true });
    let watchdog: unknown = null;
    // Mastodon sends a `:thump` comment every few seconds: silence this long means a dead connection.
    const arm = () => {
      if (watchdog !== null) this.rt.timers.clearTimeout(watchdog);
      watchdog = this.rt.timers.setTimeout(() => idle.abort(), MASTODON_DEFAULTS.deadAfterMs);
    };
    try {
      arm();
      const res = await this.fetch(url, { headers: { ...this.headers(), accept: 'text/event-stream' }, signal: idle.signal });
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        return { messages, reason: `HTTP ${res.status} on connect`, retryAfterMs: res.status === 429 ? retryAfterMs(res.headers, this.rt.clock()) : null };
      }
      io.onOpen();
      void io.backfill().then((n) => {
        if (n !== null) messages += n;
      });
      const lines = new LineSplitter();
      const parser = new SseParser();
      const reader = res.body.getReader();
      for (;;) {
        if (io.isPaused()) {
          if (watchdog !== null) this.rt.timers.clearTimeout(watchdog);
          await io.waitResume();
        }
        arm();
        const { done, value } = await reader.read();
        if (done) return { messages, reason: 'stream ended', retryAfterMs: null };
        for (const line of lines.push(value)) {
          const event = parser.line(line);
          if (event === null) continue;
          messages++;
          io.ingest(event.data, event.event);
        }
      }
    } catch (err) {
      return { messages, reason: signal.aborted ? 'stopped' : idle.signal.aborted ? 'no heartbeat' : reasonOf(err), retryAfterMs: null };
    } finally {
      if (watchdog !== null) this.rt.timers.clearTimeout(watchdog);
      signal.removeEventListener('abort', onStop);
      io.onClose();
    }
  }

  /**
   * Fills the gap since `sinceId` from the REST timeline, oldest first. Returns how many items came,
   * or null when it could not (the stream still runs; the gap is logged).
   */
  private async backfill(stream: MastodonStream, sinceId: string, pump: SinkPump<string>, signal: AbortSignal): Promise<number | null> {
    const maxPages = this.options.backfillMaxPages ?? MASTODON_DEFAULTS.backfillMaxPages;
    const isNotifications = stream.kind === 'notifications';
    let minId = sinceId;
    let count = 0;
    let rateLimited = 0;
    try {
      for (let page = 0; page < maxPages && !signal.aborted; page++) {
        const res = await this.fetch(joinUrl(this.options.instanceUrl, timelinePath(stream, minId, MASTODON_DEFAULTS.backfillPageSize)), { headers: this.headers(), signal });
        if (res.status === 429 && rateLimited++ < 3) {
          const wait = retryAfterMs(res.headers, this.rt.clock()) ?? 60_000;
          await res.body?.cancel();
          await this.rt.timers.delay(wait, signal);
          page--;
          continue;
        }
        if (!res.ok) throw await platformError(res, 'Mastodon timeline');
        const items = z.array(z.unknown()).max(100).safeParse(JSON.parse(await readBodyLimited(res)));
        if (!items.success) throw new Error('timeline answer is not a list');
        const sorted = items.data
          .map((it) => ({ it, id: typeof (it as { id?: unknown }).id === 'string' ? ((it as { id: string }).id) : '' }))
          .filter((x) => x.id !== '')
          .sort((a, b) => compareIds(a.id, b.id));
        if (sorted.length === 0) return count;
        for (const { it } of sorted) {
          const mention = this.backfillItem(it, isNotifications);
          if (mention) pump.push(mention);
        }
        minId = sorted.at(-1)!.id;
        count += sorted.length;
        // Positions from the gap are committed in order, once everything before is stored.
        pump.mark(minId);
      }
      this.rt.logger.warn({ source: this.id, stream: streamName(stream), pages: maxPages }, 'Mastodon gap larger than the backfill limit; older posts of the gap are skipped');
      return count;
    } catch (err) {
      if (signal.aborted) return null;
      this.health_.error(`backfill: ${reasonOf(err)}`);
      this.rt.logger.warn({ source: this.id, stream: streamName(stream), err: reasonOf(err) }, 'could not fill the gap after a reconnect');
      return null;
    }
  }

  private backfillItem(item: unknown, isNotification: boolean): MentionInput | null {
    const checked = isNotification ? checkPayload(item, notificationSchema) : checkPayload(item, statusSchema);
    if (!checked.ok) return this.skip(checked.reason, JSON.stringify(item));
    const v = checked.value as z.output<typeof notificationSchema> | Status;
    const status = isNotification ? (v as z.output<typeof notificationSchema>).status : (v as Status);
    if (!status) return null;
    const m = checkMention(statusToMention(status, { instanceHost: this.host, account: this.options.account ?? null, now: this.rt.clock() }));
    return m.ok ? m.value : this.skip(m.reason, JSON.stringify(item));
  }

  private async sendReply(token: string, request: ReplyRequest): Promise<ReplyResult> {
    if ([...request.text].length > MASTODON_DEFAULTS.replyMaxLength) {
      throw new VigieError(ErrorCode.InputInvalid, `a Mastodon reply is at most ${MASTODON_DEFAULTS.replyMaxLength} characters`);
    }
    const inReplyToId = /^[A-Za-z0-9]+$/.test(request.inReplyTo) ? request.inReplyTo : await this.resolveStatus(token, request.inReplyTo);
    const res = await this.fetch(joinUrl(this.options.instanceUrl, '/api/v1/statuses'), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        // Mastodon keeps the answer for an Idempotency-Key: a retried approval cannot post twice.
        'idempotency-key': createHash('sha256').update(`${inReplyToId}\n${request.text}`).digest('hex'),
      },
      body: JSON.stringify({ status: request.text, in_reply_to_id: inReplyToId }),
    });
    if (!res.ok) throw await platformError(res, 'Mastodon: post the reply');
    const parsed = checkPayload(JSON.parse(await readBodyLimited(res)), replyAnswerSchema);
    if (!parsed.ok) throw new VigieError(ErrorCode.PlatformError, `Mastodon: unexpected reply answer (${parsed.reason})`);
    return { id: parsed.value.id, url: parsed.value.url ?? null };
  }

  /** A status URL from another instance → its id on ours (search with `resolve=true`). */
  private async resolveStatus(token: string, ref: string): Promise<string> {
    const q = new URLSearchParams({ q: ref, type: 'statuses', resolve: 'true', limit: '1' });
    const res = await this.fetch(joinUrl(this.options.instanceUrl, `/api/v2/search?${q}`), { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw await platformError(res, 'Mastodon: find the post replied to');
    const parsed = checkPayload(JSON.parse(await readBodyLimited(res)), searchAnswerSchema);
    const id = parsed.ok ? parsed.value.statuses[0]?.id : undefined;
    if (!id) throw new VigieError(ErrorCode.NotFound, 'Mastodon: the post replied to was not found on this instance');
    return id;
  }
}

interface StreamIo {
  onOpen(): void;
  onClose(): void;
  setSocket(ws: WebSocket | null): void;
  isPaused(): boolean;
  waitResume(): Promise<void>;
  ingest(payload: string, event: string): void;
  backfill(): Promise<number | null>;
  pump: SinkPump<string>;
}
