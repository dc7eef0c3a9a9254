import type { WebSocket } from 'ws';
import type { MentionInput } from '../../../src/mentions/mention.js';
import type { MentionSink, ReplyRequest, ReplyResult, Source, SourceHealth, CursorStore } from '../../../src/sources/port.js';
import { backoffDelay } from '../runtime/backoff.js';
import { reasonOf, runtimeOf, type SourceRuntime, type SourceRuntimeDeps } from '../runtime/deps.js';
import { HealthTracker } from '../runtime/health.js';
import { redactUrl } from '../runtime/http.js';
import { checkMention, checkPayload, excerpt, parseJsonPayload } from '../runtime/payload.js';
import { SinkPump } from '../runtime/sink-pump.js';
import { closeSocket, DefaultWebSocket, messageText, type WebSocketClass } from '../runtime/ws.js';
import { AtprotoClient } from './atproto-client.js';
import { commitEventSchema, envelopeSchema, identityEventSchema, POST_COLLECTION, postRecordSchema } from './jetstream-events.js';
import { postToMention } from './to-mention.js';

export const JETSTREAM_DEFAULTS = {
  url: 'wss://jetstream2.us-east.bsky.network/subscribe',
  /** Jetstream's advice: replay a few seconds on reconnect so no event falls in the gap. */
  rewindMs: 5_000, // 5 s
  persistEveryEvents: 500,
  persistEveryMs: 5_000, // 5 s
  batchSize: 200,
  maxBuffered: 2_000,
  /** The firehose never stays silent this long; no message means a dead connection. */
  idleTimeoutMs: 60_000, // 1 min
  handleCacheSize: 10_000,
  maxPayloadBytes: 4 * 1024 * 1024, // 4 MiB
} as const;

export interface JetstreamOptions {
  id: string;
  url?: string;
  wantedDids?: readonly string[];
  /** Which of our watched accounts these posts concern, when the source is dedicated to one. */
  account?: string | null;
  cursors: CursorStore;
  rewindMs?: number;
  persistEveryEvents?: number;
  persistEveryMs?: number;
  batchSize?: number;
  maxBuffered?: number;
  idleTimeoutMs?: number;
  /** Replies through the AT Protocol; without it the source only listens. */
  reply?: { serviceUrl: string; identifier: string; appPassword: string; fetch?: typeof fetch };
}

export interface JetstreamDeps extends SourceRuntimeDeps {
  WebSocket?: WebSocketClass;
}

/**
 * Bluesky through Jetstream: posts (`app.bsky.feed.post` creates) as mentions. The position is the
 * event's `time_us`; it is persisted only once the mentions before it are stored, and a reconnect or
 * a restart resumes from it (rewound a few seconds), so nothing is missed. Duplicates from the
 * rewind are dropped by ingest (same source + id).
 */
export class JetstreamSource implements Source {
  readonly kind = 'jetstream';
  readonly id: string;
  readonly replyMaxLength = 300;
  readonly reply?: (request: ReplyRequest) => Promise<ReplyResult>;

  private readonly rt: SourceRuntime;
  private readonly health_: HealthTracker;
  private readonly WS: WebSocketClass;
  private readonly settings: Required<Omit<JetstreamOptions, 'reply' | 'account' | 'wantedDids' | 'cursors'>>;
  private readonly handles = new Map<string, string>();
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private pump: SinkPump<number> | null = null;
  private ws: WebSocket | null = null;
  private pressured = false;
  /** Newest event received (stored or queued): where a reconnect in this process resumes. */
  private receivedUs: number | null = null;
  /** Newest position whose mentions are all stored: what survives a restart. */
  private storedUs: number | null = null;
  private persistedUs: number | null = null;
  private commitsSincePersist = 0;
  private lastPersistAt = 0;
  private persisting: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: JetstreamOptions,
    deps: JetstreamDeps,
  ) {
    this.id = options.id;
    this.rt = runtimeOf(deps);
    this.health_ = new HealthTracker(options.id, this.kind, this.rt.clock);
    this.WS = deps.WebSocket ?? DefaultWebSocket;
    this.settings = {
      id: options.id,
      url: options.url ?? JETSTREAM_DEFAULTS.url,
      rewindMs: options.rewindMs ?? JETSTREAM_DEFAULTS.rewindMs,
      persistEveryEvents: options.persistEveryEvents ?? JETSTREAM_DEFAULTS.persistEveryEvents,
      persistEveryMs: options.persistEveryMs ?? JETSTREAM_DEFAULTS.persistEveryMs,
      batchSize: options.batchSize ?? JETSTREAM_DEFAULTS.batchSize,
      maxBuffered: options.maxBuffered ?? JETSTREAM_DEFAULTS.maxBuffered,
      idleTimeoutMs: options.idleTimeoutMs ?? JETSTREAM_DEFAULTS.idleTimeoutMs,
    };
    if (options.reply) {
      const client = new AtprotoClient({
        serviceUrl: options.reply.serviceUrl,
        identifier: options.reply.identifier,
        appPassword: options.reply.appPassword,
        fetch: options.reply.fetch ?? fetch,
        clock: this.rt.clock,
      });
      this.reply = (request) => client.reply(request.inReplyTo, request.text);
    }
  }

  private get cursorKey(): string {
    return `jetstream:${this.id}`;
  }

  health(): SourceHealth {
    return this.health_.snapshot();
  }

  async start(sink: MentionSink): Promise<void> {
    if (this.abort) throw new Error(`source ${this.id} is already started`);
    const abort = new AbortController();
    this.abort = abort;
    const saved = await this.options.cursors.get(this.cursorKey);
    const savedUs = saved !== null && /^\d+$/.test(saved) ? Number(saved) : null;
    if (saved !== null && savedUs === null) this.rt.logger.warn({ source: this.id, saved: excerpt(saved, 50) }, 'unreadable Jetstream cursor ignored');
    this.storedUs = savedUs;
    this.persistedUs = savedUs;
    this.receivedUs = null;
    this.lastPersistAt = this.rt.clock().getTime();
    this.pump = new SinkPump<number>({
      sink,
      runtime: this.rt,
      signal: abort.signal,
      batchSize: this.settings.batchSize,
      maxBuffered: this.settings.maxBuffered,
      label: this.id,
      onPressure: (paused) => this.setPressure(paused),
      onCommitted: (timeUs) => this.committed(timeUs),
      onSinkError: (reason) => this.health_.error(`sink: ${reason}`),
    });
    this.loop = this.run(abort.signal);
  }

  async stop(): Promise<void> {
    const abort = this.abort;
    if (!abort) return;
    abort.abort();
    if (this.ws) closeSocket(this.ws);
    await this.loop;
    await this.pump?.idle();
    this.persist(true);
    await this.persisting;
    this.health_.setConnected(false);
    this.abort = null;
    this.loop = null;
    this.ws = null;
  }

  /** The URL to connect to now: live, or from the last position minus the rewind. */
  connectUrl(): string {
    const url = new URL(this.settings.url);
    url.searchParams.set('wantedCollections', POST_COLLECTION);
    for (const did of this.options.wantedDids ?? []) url.searchParams.append('wantedDids', did);
    const from = this.receivedUs ?? this.storedUs;
    if (from !== null) url.searchParams.set('cursor', String(Math.max(1, from - this.settings.rewindMs * 1_000)));
    return url.toString();
  }

  private async run(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      const { messages, reason } = await this.connectOnce(signal);
      if (signal.aborted) break;
      if (messages > 0) attempt = 0;
      const wait = backoffDelay(attempt++, this.rt.backoff, this.rt.random);
      this.health_.error(reason);
      this.rt.logger.warn({ source: this.id, reason, retryInMs: wait }, 'Jetstream disconnected; reconnecting');
      await this.rt.timers.delay(wait, signal);
    }
  }

  /** One connection, until it closes; resolves with how many messages it delivered and why it ended. */
  private connectOnce(signal: AbortSignal): Promise<{ messages: number; reason: string }> {
    return new Promise((resolve) => {
      const url = this.connectUrl();
      let messages = 0;
      let reason = 'connection closed';
      let watchdog: unknown = null;
      const ws = new this.WS(url, { maxPayload: JETSTREAM_DEFAULTS.maxPayloadBytes, handshakeTimeout: 30_000 });
      this.ws = ws;
      const arm = () => {
        if (watchdog !== null) this.rt.timers.clearTimeout(watchdog);
        watchdog = this.pressured
          ? null
          : this.rt.timers.setTimeout(() => {
              reason = `no message for ${this.settings.idleTimeoutMs} ms`;
              ws.terminate();
            }, this.settings.idleTimeoutMs);
      };
      ws.on('open', () => {
        this.health_.setConnected(true);
        this.rt.logger.info({ source: this.id, url: redactUrl(url), cursor: new URL(url).searchParams.get('cursor') }, 'Jetstream connected');
        if (this.pressured) ws.pause();
        arm();
      });
      ws.on('message', (data) => {
        messages++;
        arm();
        this.handle(messageText(data));
      });
      ws.on('error', (err) => {
        reason = reasonOf(err);
      });
      ws.on('unexpected-response', (_req, res) => {
        reason = `HTTP ${res.statusCode ?? '?'} on connect`;
        res.resume();
        ws.terminate();
      });
      ws.on('close', (code) => {
        if (watchdog !== null) this.rt.timers.clearTimeout(watchdog);
        this.health_.setConnected(false);
        if (this.ws === ws) this.ws = null;
        if (reason === 'connection closed' && code !== 1005) reason = `connection closed (code ${code})`;
        resolve({ messages, reason });
      });
      if (signal.aborted) ws.terminate();
    });
  }

  private setPressure(paused: boolean): void {
    this.pressured = paused;
    const ws = this.ws;
    if (!ws || ws.readyState !== ws.OPEN) return;
    if (paused) ws.pause();
    else ws.resume();
  }

  private handle(text: string): void {
    const decoded = this.decode(text);
    if (decoded === null) return;
    if (decoded.mention) this.pump!.push(decoded.mention, decoded.timeUs);
    else this.pump!.mark(decoded.timeUs);
  }

  /** An event → its position and, for a valid post create, the mention; null when it has no position. */
  private decode(text: string): { timeUs: number; mention: MentionInput | null } | null {
    const envelope = parseJsonPayload(text, envelopeSchema);
    if (!envelope.ok) {
      this.skip(envelope.reason, text);
      return null;
    }
    const { did, time_us: timeUs, kind } = envelope.value;
    // Jetstream's cursor only moves forward; an older event is a replay (after the rewind).
    if (this.receivedUs === null || timeUs > this.receivedUs) this.receivedUs = timeUs;
    this.health_.event(new Date(timeUs / 1_000));
    const positionOnly = { timeUs, mention: null };

    if (kind === 'identity') {
      const identity = checkPayload(envelope.value, identityEventSchema);
      if (identity.ok && identity.value.identity.handle) this.rememberHandle(did, identity.value.identity.handle);
      return positionOnly;
    }
    if (kind !== 'commit') return positionOnly;
    const commit = checkPayload(envelope.value, commitEventSchema);
    if (!commit.ok) {
      this.skip(commit.reason, text);
      return positionOnly;
    }
    const c = commit.value.commit;
    if (c.collection !== POST_COLLECTION || c.operation !== 'create') return positionOnly;
    const record = checkPayload(c.record, postRecordSchema);
    if (!record.ok) {
      this.skip(`record: ${record.reason}`, text);
      return positionOnly;
    }
    const mention = checkMention(
      postToMention(record.value, { did, rkey: c.rkey, timeUs, handle: this.handles.get(did) ?? null, account: this.options.account ?? null }),
    );
    if (!mention.ok) {
      this.skip(`mention: ${mention.reason}`, text);
      return positionOnly;
    }
    return { timeUs, mention: mention.value };
  }

  private skip(reason: string, text: string): void {
    this.health_.error(`malformed event: ${reason}`);
    this.rt.logger.warn({ source: this.id, reason, payload: excerpt(text) }, 'malformed Jetstream event skipped');
  }

  private rememberHandle(did: string, handle: string): void {
    // A Map keeps insertion order: deleting the oldest key keeps the cache bounded.
    this.handles.delete(did);
    this.handles.set(did, handle);
    if (this.handles.size > JETSTREAM_DEFAULTS.handleCacheSize) {
      const oldest = this.handles.keys().next().value;
      if (oldest !== undefined) this.handles.delete(oldest);
    }
  }

  private committed(timeUs: number): void {
    if (this.storedUs !== null && timeUs <= this.storedUs) return;
    this.storedUs = timeUs;
    this.commitsSincePersist++;
    this.persist(false);
  }

  /** Writes the stored position every N commits or T ms (or now, on stop); writes never overlap. */
  private persist(force: boolean): void {
    const value = this.storedUs;
    if (value === null || value === this.persistedUs) return;
    const now = this.rt.clock().getTime();
    if (!force && this.commitsSincePersist < this.settings.persistEveryEvents && now - this.lastPersistAt < this.settings.persistEveryMs) return;
    this.persistedUs = value;
    this.commitsSincePersist = 0;
    this.lastPersistAt = now;
    this.persisting = this.persisting.then(async () => {
      try {
        await this.options.cursors.set(this.cursorKey, String(value));
      } catch (err) {
        // Not fatal: the next write carries a newer position; at worst a restart replays more.
        this.persistedUs = null;
        this.health_.error(`cursor: ${reasonOf(err)}`);
        this.rt.logger.warn({ source: this.id, err: reasonOf(err) }, 'could not save the Jetstream cursor');
      }
    });
  }
}
