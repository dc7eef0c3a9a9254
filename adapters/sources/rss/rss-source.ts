import type { MentionInput } from '../../../src/mentions/mention.js';
import type { CursorStore, MentionSink, Source, SourceHealth } from '../../../src/sources/port.js';
import { backoffDelay, retryAfterMs } from '../runtime/backoff.js';
import { reasonOf, runtimeOf, type SourceRuntime, type SourceRuntimeDeps } from '../runtime/deps.js';
import { HealthTracker } from '../runtime/health.js';
import { readBodyLimited, redactUrl } from '../runtime/http.js';
import { checkMention } from '../runtime/payload.js';
import { parseFeed } from './feed-parser.js';
import { emptyFeedState, type FeedState, feedStateSchema, rememberSeen } from './feed-state.js';
import { entryKey, entryToMention, unwrapLink } from './to-mention.js';

export const RSS_DEFAULTS = {
  intervalSeconds: 300, // 5 min
  /** Polls of a feed that answers 429 without Retry-After wait at least this. */
  rateLimitedMs: 600_000, // 10 min
  seenPerFeed: 2_000,
  userAgent: 'Vigie/0.1 (+social listening for public services; feed reader)',
  requestTimeoutMs: 30_000, // 30 s
  maxBackoffMs: 3_600_000, // 1 h
} as const;

export interface FeedOptions {
  url: string;
  intervalSeconds?: number;
  account?: string | null;
}

export interface RssOptions {
  id: string;
  feeds: readonly FeedOptions[];
  cursors: CursorStore;
}

export interface RssDeps extends SourceRuntimeDeps {
  fetch?: typeof fetch;
}

type PollOutcome = { kind: 'ok'; fresh: number } | { kind: 'not-modified' } | { kind: 'retry-after'; ms: number; reason: string } | { kind: 'failed'; reason: string };

/**
 * RSS 2.0, RSS 1.0 and Atom feeds (news sites, Google Alerts), polled each at its interval with
 * conditional requests (ETag / Last-Modified → 304), entries de-duplicated by id and by link.
 */
export class RssSource implements Source {
  readonly kind = 'rss';
  readonly id: string;
  private readonly rt: SourceRuntime;
  private readonly health_: HealthTracker;
  private readonly fetch: typeof fetch;
  private abort: AbortController | null = null;
  private loops: Promise<void>[] = [];
  private readonly failing = new Set<string>();

  constructor(
    private readonly options: RssOptions,
    deps: RssDeps,
  ) {
    this.id = options.id;
    this.rt = runtimeOf(deps);
    this.health_ = new HealthTracker(options.id, this.kind, this.rt.clock);
    this.fetch = deps.fetch ?? fetch;
  }

  health(): SourceHealth {
    return this.health_.snapshot();
  }

  async start(sink: MentionSink): Promise<void> {
    if (this.abort) throw new Error(`source ${this.id} is already started`);
    const abort = new AbortController();
    this.abort = abort;
    this.loops = this.options.feeds.map((feed) => this.runFeed(feed, sink, abort.signal));
  }

  async stop(): Promise<void> {
    if (!this.abort) return;
    this.abort.abort();
    await Promise.all(this.loops);
    this.loops = [];
    this.abort = null;
    this.health_.setConnected(false);
  }

  private stateKey(feed: FeedOptions): string {
    return `rss:${this.id}:${feed.url}`;
  }

  private async runFeed(feed: FeedOptions, sink: MentionSink, signal: AbortSignal): Promise<void> {
    const intervalMs = (feed.intervalSeconds ?? RSS_DEFAULTS.intervalSeconds) * 1_000;
    let failures = 0;
    while (!signal.aborted) {
      const outcome = await this.poll(feed, sink, signal);
      if (signal.aborted) break;
      let wait: number;
      if (outcome.kind === 'ok' || outcome.kind === 'not-modified') {
        failures = 0;
        this.failing.delete(feed.url);
        // ±10 % so feeds configured alike do not all poll in the same second.
        wait = Math.round(intervalMs * (0.9 + this.rt.random() * 0.2));
      } else {
        this.failing.add(feed.url);
        this.health_.error(`${redactUrl(feed.url)}: ${outcome.reason}`);
        // A failing feed is polled less often, not more: backoff from its own interval up to an hour.
        const backoff = { initialMs: intervalMs, maxMs: Math.max(intervalMs, RSS_DEFAULTS.maxBackoffMs) };
        const stepped = backoffDelay(failures++, backoff, this.rt.random);
        wait = outcome.kind === 'retry-after' ? Math.max(outcome.ms, stepped) : stepped;
        this.rt.logger.warn({ source: this.id, feed: redactUrl(feed.url), reason: outcome.reason, retryInMs: wait }, 'feed poll failed');
      }
      this.health_.setConnected(this.failing.size === 0);
      await this.rt.timers.delay(wait, signal);
    }
  }

  private async loadState(feed: FeedOptions): Promise<FeedState> {
    const raw = await this.options.cursors.get(this.stateKey(feed));
    if (raw === null) return emptyFeedState();
    try {
      const parsed = feedStateSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      // falls through
    }
    this.rt.logger.warn({ source: this.id, feed: redactUrl(feed.url) }, 'unreadable feed state ignored; the feed is read afresh');
    return emptyFeedState();
  }

  /** One conditional GET; new entries go to the sink before the state moves on. */
  private async poll(feed: FeedOptions, sink: MentionSink, signal: AbortSignal): Promise<PollOutcome> {
    let state: FeedState;
    try {
      state = await this.loadState(feed);
    } catch (err) {
      return { kind: 'failed', reason: `state: ${reasonOf(err)}` };
    }
    const headers: Record<string, string> = {
      'user-agent': RSS_DEFAULTS.userAgent,
      accept: 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1',
    };
    if (state.etag) headers['if-none-match'] = state.etag;
    if (state.lastModified) headers['if-modified-since'] = state.lastModified;
    const timeout = AbortSignal.timeout(RSS_DEFAULTS.requestTimeoutMs);
    let res: Response;
    let body: string;
    try {
      res = await this.fetch(feed.url, { headers, signal: AbortSignal.any([signal, timeout]), redirect: 'follow' });
      if (res.status === 304) {
        await res.body?.cancel();
        return { kind: 'not-modified' };
      }
      if (res.status === 429 || res.status === 503) {
        await res.body?.cancel();
        const ms = retryAfterMs(res.headers, this.rt.clock()) ?? (res.status === 429 ? RSS_DEFAULTS.rateLimitedMs : 0);
        return { kind: 'retry-after', ms, reason: `HTTP ${res.status}` };
      }
      if (!res.ok) {
        await res.body?.cancel();
        return { kind: 'failed', reason: `HTTP ${res.status}` };
      }
      body = await readBodyLimited(res);
    } catch (err) {
      return { kind: 'failed', reason: timeout.aborted ? 'timed out' : reasonOf(err) };
    }

    let parsedFeed: ReturnType<typeof parseFeed>;
    try {
      parsedFeed = parseFeed(body);
    } catch (err) {
      // A malformed document is skipped, the feed keeps being polled.
      return { kind: 'failed', reason: `not a readable feed: ${reasonOf(err)}` };
    }

    const seen = new Set(state.seen);
    const fresh: MentionInput[] = [];
    const keys: string[] = [];
    const now = this.rt.clock();
    // Feeds list the newest first; hand them over oldest first.
    for (const entry of [...parsedFeed.entries].reverse()) {
      const key = entryKey(entry, feed.url);
      const link = unwrapLink(entry.link);
      if (seen.has(key) || (link !== null && seen.has(link))) continue;
      seen.add(key);
      keys.push(key);
      if (link !== null) {
        seen.add(link);
        keys.push(link);
      }
      const mention = checkMention(entryToMention(entry, { feed: parsedFeed, feedUrl: feed.url, account: feed.account ?? null, now }));
      if (!mention.ok) {
        this.health_.error(`malformed entry: ${mention.reason}`);
        this.rt.logger.warn({ source: this.id, feed: redactUrl(feed.url), reason: mention.reason }, 'feed entry skipped');
        continue;
      }
      fresh.push(mention.value);
      this.health_.event(new Date(mention.value.createdAt));
    }
    if (fresh.length > 0) {
      try {
        await sink(fresh);
      } catch (err) {
        // The state is not saved: the same entries are offered again on the next poll.
        return { kind: 'failed', reason: `sink: ${reasonOf(err)}` };
      }
    }
    const next: FeedState = {
      etag: res.headers.get('etag'),
      lastModified: res.headers.get('last-modified'),
      seen: rememberSeen(state.seen, keys, RSS_DEFAULTS.seenPerFeed),
    };
    try {
      await this.options.cursors.set(this.stateKey(feed), JSON.stringify(next));
    } catch (err) {
      this.rt.logger.warn({ source: this.id, feed: redactUrl(feed.url), err: reasonOf(err) }, 'could not save the feed state');
    }
    return { kind: 'ok', fresh: fresh.length };
  }
}
