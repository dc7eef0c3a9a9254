import { ErrorCode, VigieError } from '../../../src/core/errors.js';
import type { MentionSink, ReplyRequest, ReplyResult, Source, SourceHealth } from '../../../src/sources/port.js';
import { retryAfterMs } from '../runtime/backoff.js';
import { reasonOf, runtimeOf, type SourceRuntime, type SourceRuntimeDeps } from '../runtime/deps.js';
import { HealthTracker } from '../runtime/health.js';
import { joinUrl, platformError, readBodyLimited } from '../runtime/http.js';
import { LineSplitter } from '../runtime/lines.js';
import { checkMention, checkPayload, excerpt, parseJsonPayload } from '../runtime/payload.js';
import { SinkPump } from '../runtime/sink-pump.js';
import { translateQueryToXRule } from './query-to-rule.js';
import { type XFailure, xReconnectDelay } from './x-backoff.js';
import { STREAM_FIELDS, xPostedSchema, xErrorLineSchema, xPostLineSchema, xRulesChangeSchema, xRulesListSchema } from './x-payloads.js';
import { tweetToMention, tweetUrl } from './to-mention.js';

export const X_DEFAULTS = {
  apiUrl: 'https://api.x.com',
  /** X sends a keep-alive newline every 20 s; silence beyond this means a dead connection. */
  stallTimeoutMs: 30_000, // 30 s
  batchSize: 100,
  maxBuffered: 1_000,
  /** Rule length limit of the self-serve access levels (Pro: 1 024). */
  maxRuleLength: 512,
  /** Our rules carry this tag prefix: sync never touches rules someone else added. */
  tagPrefix: 'vigie:',
  replyMaxLength: 280,
} as const;

/** A watch rule as the X source needs it: its id and its query. */
export interface WatchRuleQuery {
  id: string;
  query: string;
}

export interface XOptions {
  id: string;
  apiUrl?: string;
  bearerToken: string;
  /** OAuth 2.0 user-context token with tweet.write, for replies (an app-only bearer cannot post). */
  userToken?: string | null;
  /** Keep the stream's rules in step with the watch rules that translate. */
  syncRules?: boolean;
  /** Extra rules written in X's own syntax, kept alongside the translated ones. */
  extraRules?: readonly { value: string; tag: string }[];
  watchRules?: () => readonly WatchRuleQuery[];
  account?: string | null;
  maxRuleLength?: number;
  stallTimeoutMs?: number;
  batchSize?: number;
  maxBuffered?: number;
}

export interface XDeps extends SourceRuntimeDeps {
  fetch?: typeof fetch;
}

export interface RulesSyncReport {
  added: number;
  deleted: number;
  /** Watch rules left out: they do not translate, are too long, or X refused them. */
  skipped: Array<{ ruleId: string; reason: string }>;
}

type StreamEnd = { kind: XFailure | 'stopped'; reason: string; retryAfterMs: number | null; delivered: number };

/** X API v2 filtered stream: posts matching the stream's rules, read as newline-delimited JSON. */
export class XSource implements Source {
  readonly kind = 'x';
  readonly id: string;
  readonly replyMaxLength = X_DEFAULTS.replyMaxLength;
  readonly reply?: (request: ReplyRequest) => Promise<ReplyResult>;
  private readonly rt: SourceRuntime;
  private readonly health_: HealthTracker;
  private readonly fetch: typeof fetch;
  private readonly apiUrl: string;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private pump: SinkPump | null = null;
  private paused = false;
  private resumeReading: (() => void) | null = null;

  constructor(
    private readonly options: XOptions,
    deps: XDeps,
  ) {
    this.id = options.id;
    this.rt = runtimeOf(deps);
    this.health_ = new HealthTracker(options.id, this.kind, this.rt.clock);
    this.fetch = deps.fetch ?? fetch;
    this.apiUrl = options.apiUrl ?? X_DEFAULTS.apiUrl;
    const userToken = options.userToken;
    if (userToken) this.reply = (request) => this.sendReply(userToken, request);
  }

  health(): SourceHealth {
    return this.health_.snapshot();
  }

  async start(sink: MentionSink): Promise<void> {
    if (this.abort) throw new Error(`source ${this.id} is already started`);
    const abort = new AbortController();
    this.abort = abort;
    this.pump = new SinkPump({
      sink,
      runtime: this.rt,
      signal: abort.signal,
      batchSize: this.options.batchSize ?? X_DEFAULTS.batchSize,
      maxBuffered: this.options.maxBuffered ?? X_DEFAULTS.maxBuffered,
      label: this.id,
      onPressure: (paused) => {
        this.paused = paused;
        if (!paused) this.resumeReading?.();
      },
      onSinkError: (reason) => this.health_.error(`sink: ${reason}`),
    });
    this.loop = this.run(abort.signal);
  }

  async stop(): Promise<void> {
    const abort = this.abort;
    if (!abort) return;
    abort.abort();
    this.resumeReading?.();
    await this.loop;
    await this.pump?.idle();
    this.health_.setConnected(false);
    this.abort = null;
    this.loop = null;
  }

  private async run(signal: AbortSignal): Promise<void> {
    if (this.options.syncRules) {
      try {
        const report = await this.syncRules(signal);
        this.rt.logger.info({ source: this.id, ...report, skipped: report.skipped.length }, 'X stream rules synced');
      } catch (err) {
        // The stream still runs on the rules already in place.
        this.health_.error(`rules: ${reasonOf(err)}`);
        this.rt.logger.warn({ source: this.id, err: reasonOf(err) }, 'could not sync the X stream rules');
      }
    }
    const attempts: Record<XFailure, number> = { network: 0, http: 0, 'rate-limit': 0 };
    while (!signal.aborted) {
      const end = await this.readStream(signal);
      if (end.kind === 'stopped' || signal.aborted) break;
      if (end.delivered > 0) {
        attempts.network = 0;
        attempts.http = 0;
        attempts['rate-limit'] = 0;
      }
      const wait = Math.max(end.retryAfterMs ?? 0, xReconnectDelay(end.kind, attempts[end.kind]++, this.rt.random));
      this.health_.error(end.reason);
      this.rt.logger.warn({ source: this.id, reason: end.reason, retryInMs: wait }, 'X stream disconnected; reconnecting');
      await this.rt.timers.delay(wait, signal);
    }
  }

  private async readStream(signal: AbortSignal): Promise<StreamEnd> {
    const url = new URL(joinUrl(this.apiUrl, '/2/tweets/search/stream'));
    for (const [k, v] of Object.entries(STREAM_FIELDS)) url.searchParams.set(k, v);
    const stall = new AbortController();
    const onStop = () => stall.abort();
    signal.addEventListener('abort', onStop, { once: true });
    const stallMs = this.options.stallTimeoutMs ?? X_DEFAULTS.stallTimeoutMs;
    let watchdog: unknown = null;
    let stalled = false;
    const arm = () => {
      if (watchdog !== null) this.rt.timers.clearTimeout(watchdog);
      watchdog = this.rt.timers.setTimeout(() => {
        stalled = true;
        stall.abort();
      }, stallMs);
    };
    let delivered = 0;
    try {
      arm();
      const res = await this.fetch(url, { headers: { authorization: `Bearer ${this.options.bearerToken}` }, signal: stall.signal });
      if (res.status === 429) {
        await res.body?.cancel();
        return { kind: 'rate-limit', reason: 'HTTP 429 on connect', retryAfterMs: retryAfterMs(res.headers, this.rt.clock()), delivered };
      }
      if (!res.ok || !res.body) {
        const detail = excerpt(await readBodyLimited(res, 16 * 1024).catch(() => ''), 200);
        return { kind: 'http', reason: `HTTP ${res.status} on connect${detail ? `: ${detail}` : ''}`, retryAfterMs: null, delivered };
      }
      this.health_.setConnected(true);
      this.rt.logger.info({ source: this.id }, 'X stream connected');
      const reader = res.body.getReader();
      const lines = new LineSplitter();
      for (;;) {
        if (this.paused && !signal.aborted) {
          if (watchdog !== null) this.rt.timers.clearTimeout(watchdog);
          await new Promise<void>((resolve) => {
            this.resumeReading = resolve;
            if (!this.paused || signal.aborted) resolve();
          });
          this.resumeReading = null;
        }
        arm();
        const { done, value } = await reader.read();
        if (done) return { kind: 'network', reason: 'stream closed by X', retryAfterMs: null, delivered };
        for (const line of lines.push(value)) {
          if (line.trim() === '') continue; // keep-alive
          delivered++;
          this.handleLine(line);
        }
      }
    } catch (err) {
      if (signal.aborted) return { kind: 'stopped', reason: 'stopped', retryAfterMs: null, delivered };
      return { kind: 'network', reason: stalled ? `no data or keep-alive for ${stallMs} ms` : reasonOf(err), retryAfterMs: null, delivered };
    } finally {
      if (watchdog !== null) this.rt.timers.clearTimeout(watchdog);
      signal.removeEventListener('abort', onStop);
      this.health_.setConnected(false);
    }
  }

  private handleLine(line: string): void {
    const errorLine = parseJsonPayload(line, xErrorLineSchema);
    if (errorLine.ok) {
      const first = errorLine.value.errors[0];
      this.health_.error(`X: ${first?.title ?? 'error'}${first?.detail ? ` (${first.detail})` : ''}`);
      this.rt.logger.warn({ source: this.id, errors: errorLine.value.errors.slice(0, 3) }, 'X stream reported an error');
      return;
    }
    const parsed = parseJsonPayload(line, xPostLineSchema);
    if (!parsed.ok) {
      this.health_.error(`malformed post: ${parsed.reason}`);
      this.rt.logger.warn({ source: this.id, reason: parsed.reason, payload: excerpt(line) }, 'malformed X stream line skipped');
      return;
    }
    const value = parsed.value;
    const mention = checkMention(tweetToMention(value.data, value.includes?.users ?? [], { account: this.options.account ?? null, now: this.rt.clock() }));
    if (!mention.ok) {
      this.health_.error(`malformed post: ${mention.reason}`);
      this.rt.logger.warn({ source: this.id, reason: mention.reason, payload: excerpt(line) }, 'X post skipped');
      return;
    }
    this.health_.event(new Date(mention.value.createdAt));
    this.pump!.push(mention.value);
  }

  /**
   * Brings the stream's rules in line with the watch rules: ours are tagged `vigie:<rule id>`, stale
   * ones are deleted, missing ones added; rules without our tag prefix are left alone.
   */
  async syncRules(signal?: AbortSignal): Promise<RulesSyncReport> {
    const maxLength = this.options.maxRuleLength ?? X_DEFAULTS.maxRuleLength;
    const skipped: RulesSyncReport['skipped'] = [];
    const desired = new Map<string, string>(); // value → tag
    for (const rule of this.options.watchRules?.() ?? []) {
      const value = translateQueryToXRule(rule.query);
      if (value === null) skipped.push({ ruleId: rule.id, reason: 'does not translate to X rule syntax' });
      else if (value.length > maxLength) skipped.push({ ruleId: rule.id, reason: `longer than ${maxLength} characters` });
      else if (!desired.has(value)) desired.set(value, `${X_DEFAULTS.tagPrefix}${rule.id}`);
    }
    for (const extra of this.options.extraRules ?? []) desired.set(extra.value, `${X_DEFAULTS.tagPrefix}${extra.tag}`);

    const current = await this.rulesCall('GET', undefined, xRulesListSchema, signal);
    const ours = (current.data ?? []).filter((r) => r.tag?.startsWith(X_DEFAULTS.tagPrefix));
    const stale = ours.filter((r) => desired.get(r.value) !== r.tag).map((r) => r.id);
    const kept = new Set(ours.filter((r) => desired.get(r.value) === r.tag).map((r) => r.value));
    const add = [...desired].filter(([value]) => !kept.has(value)).map(([value, tag]) => ({ value, tag }));
    if (stale.length > 0) await this.rulesCall('POST', { delete: { ids: stale } }, xRulesChangeSchema, signal);
    let added = 0;
    if (add.length > 0) {
      const res = await this.rulesCall('POST', { add }, xRulesChangeSchema, signal);
      added = res.data?.length ?? 0;
      for (const e of res.errors ?? []) {
        const tag = add.find((a) => a.value === e.value)?.tag ?? '?';
        skipped.push({ ruleId: tag.slice(X_DEFAULTS.tagPrefix.length), reason: `refused by X: ${e.title ?? ''} ${(e.details ?? []).join('; ')}`.trim() });
      }
    }
    for (const s of skipped) this.rt.logger.info({ source: this.id, rule: s.ruleId, reason: s.reason }, 'watch rule not sent to X (still matched locally on what the stream brings)');
    return { added, deleted: stale.length, skipped };
  }

  private async rulesCall<S extends import('zod').ZodType>(method: 'GET' | 'POST', body: unknown, schema: S, signal?: AbortSignal): Promise<import('zod').output<S>> {
    const res = await this.fetch(joinUrl(this.apiUrl, '/2/tweets/search/stream/rules'), {
      method,
      headers: { authorization: `Bearer ${this.options.bearerToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
    if (!res.ok) throw await platformError(res, 'X stream rules');
    const parsed = checkPayload(JSON.parse(await readBodyLimited(res)), schema);
    if (!parsed.ok) throw new VigieError(ErrorCode.PlatformError, `X stream rules: unexpected answer (${parsed.reason})`);
    return parsed.value;
  }

  private async sendReply(token: string, request: ReplyRequest): Promise<ReplyResult> {
    if (!/^\d{1,25}$/.test(request.inReplyTo)) throw new VigieError(ErrorCode.InputInvalid, 'not an X post id');
    // X weighs some characters double and every link as 23; X has the last word (it answers 400).
    if ([...request.text].length > X_DEFAULTS.replyMaxLength) throw new VigieError(ErrorCode.InputInvalid, `an X reply is at most ${X_DEFAULTS.replyMaxLength} characters`);
    const res = await this.fetch(joinUrl(this.apiUrl, '/2/tweets'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: request.text, reply: { in_reply_to_tweet_id: request.inReplyTo } }),
    });
    if (!res.ok) throw await platformError(res, 'X: post the reply');
    const parsed = checkPayload(JSON.parse(await readBodyLimited(res)), xPostedSchema);
    if (!parsed.ok) throw new VigieError(ErrorCode.PlatformError, `X: unexpected reply answer (${parsed.reason})`);
    return { id: parsed.value.data.id, url: tweetUrl(parsed.value.data.id, null) };
  }
}
